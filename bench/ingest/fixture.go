package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// campaignSlug is the benchmark's campaign; reviewedSlug has the same
// rules under review: risky (a referral carrying a medium signal or higher
// has its rewards held), for the cost of a completion under review.
const (
	campaignSlug = "bench"
	reviewedSlug = "bench-reviewed"
)

// questSteps is the campaign's quest; cycle is the order in which every
// guest sends events (make bench's workload): the two steps, then two events
// that are defined but no step of the quest. completionCycle is the
// completion-heavy figure's: the two steps and one page view.
var (
	questSteps      = []string{"signup_complete", "purchase_complete"}
	cycle           = []string{"signup_complete", "purchase_complete", "page_view", "page_view"}
	completionCycle = []string{"signup_complete", "purchase_complete", "page_view"}
)

// cohort is a set of hosts and guests of its own, so that every
// measurement starts from open quests that no other one has touched: hosts
// × perHost invitations in the campaign, each claimed by a guest of its
// own.
type cohort struct {
	prefix  string // unique to the cohort, and no other's prefix followed by "-"
	hosts   int
	perHost int
}

func (c cohort) guests() int { return c.hosts * c.perHost }

// host is the external id of host h (0-based).
func (c cohort) host(h int) string { return fmt.Sprintf("%s-h-%d", c.prefix, h) }

// guest is the external id of guest g (0-based), invited by host
// g / perHost.
func (c cohort) guest(g int) string { return fmt.Sprintf("%s-g-%d", c.prefix, g) }

// event is the cohort's nth event (0-based): every guest in turn sends the
// next name of the cycle, so events 0 … guests-1 are every guest's first
// step and the next guests events complete every quest. Turn k goes to
// host k mod hosts, so that consecutive events — the ones in flight at the
// same time — are spread over the hosts.
func (c cohort) event(n int) (guest, name string) { return c.eventIn(n, cycle) }

// eventIn is event with names as the cycle.
func (c cohort) eventIn(n int, names []string) (guest, name string) {
	k := n % c.guests()
	return c.guest((k%c.hosts)*c.perHost + k/c.hosts), names[n/c.guests()%len(names)]
}

// completing is how many events, from the first, it takes to complete
// every quest of the cohort.
func (c cohort) completing() int { return c.guests() * len(questSteps) }

// setUp creates the tenant (with its secret key), its three events and the
// published campaign: the 2-step quest, a guest reward and host milestones
// 1, 2, 3, the last repeated for every further completion, so that a host
// with n completions has n host rewards, milestones 1 … n.
func setUp(ctx context.Context, db *gorm.DB) (tenants.Created, error) {
	t, err := tenants.Create(ctx, db, tenants.NewTenant{
		Name: "Bench", OwnerEmail: "owner@bench.example", OwnerPassword: "bench-password-bench",
	})
	if err != nil {
		return tenants.Created{}, err
	}
	credit := func(what string, amount int64) models.Reward {
		return models.Reward{Description: what, Kind: "credit", Quantity: 1, Amount: &amount, Currency: "USD"}
	}
	guestReward := credit("Welcome credit", 500)
	rules := models.Rules{
		Steps:       questSteps,
		GuestReward: &guestReward,
		Milestones: []models.Milestone{
			{Count: 1, Reward: credit("First referral", 1000)},
			{Count: 2, Reward: credit("Second referral", 1500)},
			{Count: 3, Reward: credit("Every further referral", 2500)},
		},
		RepeatLastMilestone: true,
	}
	err = tenants.WithTenant(ctx, db, t.TenantID, func(ctx context.Context) error {
		for _, name := range []string{"signup_complete", "purchase_complete", "page_view"} {
			if _, _, err := models.DefineEvent(ctx, name, "benchmark event"); err != nil {
				return err
			}
		}
		reviewed := rules
		reviewed.Review = models.ReviewRisky
		// A cohort's hosts claim 20 each at once: the usual velocity limit
		// would flag the clean cohort's later referrals.
		reviewed.VelocityClaims = models.MaxVelocityClaims
		for slug, r := range map[string]models.Rules{campaignSlug: rules, reviewedSlug: reviewed} {
			in := models.CampaignInput{Name: "Benchmark " + slug, Mode: models.ModeInvitation, Rules: r}
			if _, _, err := models.SaveCampaignDraft(ctx, slug, in); err != nil {
				return err
			}
			if _, err := models.PublishCampaign(ctx, slug, models.InflightKeep); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return tenants.Created{}, fmt.Errorf("fixture: campaign: %w", err)
	}
	return t, nil
}

// guestsPerTx is how many invitations one fixture transaction creates and
// claims.
const guestsPerTx = 50

// addCohorts creates and claims every cohort's invitations in the campaign
// slug through models, as the API would, on workers goroutines, and
// records signals on each referral (none when nil).
func addCohorts(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, slug string, cohorts []cohort, signals []models.RiskSignal, workers int) error {
	type chunk struct {
		c     cohort
		first int
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan chunk)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ch := range chunks {
				err := tenants.WithTenant(ctx, db, tenantID, func(ctx context.Context) error {
					for g := ch.first; g < min(ch.first+guestsPerTx, ch.c.guests()); g++ {
						inv, err := models.CreateInvitation(ctx, slug, models.InvitationInput{Host: ch.c.host(g / ch.c.perHost)})
						if err != nil {
							return err
						}
						if _, err := models.Claim(ctx, inv.Code, ch.c.guest(g)); err != nil {
							return err
						}
						if err := models.RecordRisk(ctx, inv.ID, signals); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					errs <- fmt.Errorf("fixture: %s: %w", ch.c.guest(ch.first), err)
					cancel() // stops the feeder; the other workers drain
					return
				}
			}
		})
	}
	go func() {
		defer close(chunks)
		for _, c := range cohorts {
			for g := 0; g < c.guests(); g += guestsPerTx {
				select {
				case chunks <- chunk{c, g}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	wg.Wait()
	close(errs)
	return <-errs // nil when no worker failed
}

// storedPerParticipant is how many of the stored events each of their
// participants has.
const storedPerParticipant = 10

// storeEvents bulk-loads n events of n/10 participants of their own into
// the tenant, as the schema's owner, with plain INSERT … SELECT: every
// constraint, foreign key (participant, event definition) and index
// stays on and is maintained, and ids and idempotency keys are as random
// as real ones. The names follow the cycle; the participants have no
// invitations.
func storeEvents(ctx context.Context, owner *sql.DB, tenantID uuid.UUID, n int) error {
	participants := max(1, n/storedPerParticipant)
	tx, err := owner.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `
		INSERT INTO participants (tenant_id, id, external_id)
		SELECT $1::uuid, 'par_' || md5('stored/' || p), 'stored-' || p FROM generate_series(0, $2::integer - 1) p`,
		tenantID, participants)
	if err != nil {
		return fmt.Errorf("store participants: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO events (tenant_id, participant_id, name, idempotency_key)
		SELECT $1::uuid, 'par_' || md5('stored/' || (i % $2::integer)), ($3::text[])[1 + i % 4], md5('stored-event/' || i)
		FROM generate_series(0, $4::integer - 1) i`,
		tenantID, participants, "{"+strings.Join(cycle, ",")+"}", n)
	if err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	return tx.Commit()
}

// outcome is what a measurement left in its cohort.
type outcome struct {
	events    int64 // events of the cohort's guests, their claims' own not counted
	completed int64 // invitations whose quest is complete
}

// countOutcome reads a cohort's outcome as the owner.
func countOutcome(ctx context.Context, owner *sql.DB, tenantID uuid.UUID, c cohort) (outcome, error) {
	var o outcome
	err := owner.QueryRowContext(ctx, `
		WITH guests AS (SELECT id FROM participants WHERE tenant_id = $1 AND external_id LIKE $2)
		SELECT (SELECT count(*) FROM events e JOIN guests g ON g.id = e.participant_id
		        WHERE e.tenant_id = $1 AND e.name <> 'invitation_claimed'),
		       (SELECT count(*) FROM invitations i JOIN guests g ON g.id = i.guest_id
		        WHERE i.tenant_id = $1 AND i.completed_at IS NOT NULL)`,
		tenantID, c.prefix+"-g-%").Scan(&o.events, &o.completed)
	if err != nil {
		return outcome{}, fmt.Errorf("count outcome of %s: %w", c.prefix, err)
	}
	return o, nil
}

// checkExactlyOnce checks the rules of rule 6 for a cohort of one host
// whose every quest is complete: the host's counter says guests, its
// completions are numbered 1 … guests once each, it has one host reward per
// milestone 1 … guests, each for the invitation of that number, and every
// invitation has one guest reward.
func checkExactlyOnce(ctx context.Context, owner *sql.DB, tenantID uuid.UUID, c cohort) error {
	var counter, completions, numbers, lowest, highest, hostRewards, milestones, matched, guestRewards, rewarded int64
	err := owner.QueryRowContext(ctx, `
		WITH host AS (SELECT id FROM participants WHERE tenant_id = $1 AND external_id = $2),
		     invs AS (SELECT i.id, i.completion_number FROM invitations i JOIN host h ON h.id = i.host_id
		              WHERE i.tenant_id = $1 AND i.completed_at IS NOT NULL),
		     hr AS (SELECT r.milestone, r.invitation_id FROM reward_tokens r JOIN host h ON h.id = r.participant_id
		            WHERE r.tenant_id = $1 AND r.reason = 'host_milestone')
		SELECT coalesce((SELECT sum(hc.completed) FROM host_completions hc JOIN host h ON h.id = hc.host_id WHERE hc.tenant_id = $1), 0),
		       (SELECT count(*) FROM invs), (SELECT count(DISTINCT completion_number) FROM invs),
		       coalesce((SELECT min(completion_number) FROM invs), 0), coalesce((SELECT max(completion_number) FROM invs), 0),
		       (SELECT count(*) FROM hr), (SELECT count(DISTINCT milestone) FROM hr),
		       (SELECT count(*) FROM hr JOIN invs ON invs.id = hr.invitation_id AND invs.completion_number = hr.milestone),
		       (SELECT count(*) FROM reward_tokens r JOIN invs ON invs.id = r.invitation_id WHERE r.tenant_id = $1 AND r.reason = 'guest'),
		       (SELECT count(DISTINCT r.invitation_id) FROM reward_tokens r JOIN invs ON invs.id = r.invitation_id
		        WHERE r.tenant_id = $1 AND r.reason = 'guest')`,
		tenantID, c.host(0)).Scan(&counter, &completions, &numbers, &lowest, &highest, &hostRewards, &milestones, &matched,
		&guestRewards, &rewarded)
	if err != nil {
		return fmt.Errorf("exactly-once of %s: %w", c.prefix, err)
	}
	n := int64(c.guests())
	if counter != n || completions != n || numbers != n || lowest != 1 || highest != n {
		return fmt.Errorf("exactly-once broken on %s: counter %d, %d completions numbered %d distinct from %d to %d; want %d, numbered 1 … %d",
			c.host(0), counter, completions, numbers, lowest, highest, n, n)
	}
	if hostRewards != n || milestones != n || matched != n {
		return fmt.Errorf("exactly-once broken on %s: %d host rewards, %d distinct milestones, %d matching their invitation's number; want %d",
			c.host(0), hostRewards, milestones, matched, n)
	}
	if guestRewards != n || rewarded != n {
		return fmt.Errorf("exactly-once broken on %s: %d guest rewards for %d invitations; want one for each of %d", c.host(0), guestRewards, rewarded, n)
	}
	return nil
}
