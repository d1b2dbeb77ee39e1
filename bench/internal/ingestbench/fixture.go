package ingestbench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// CampaignSlug is the benchmark's one campaign.
const CampaignSlug = "bench"

// QuestSteps is the campaign's quest; the events of the benchmark are drawn
// from it.
var QuestSteps = []string{"signup_complete", "form_a_complete", "purchase_complete"}

// Cohort is one measured side's own guests and hosts: claimed invitations
// in the campaign, each guest with an open quest. Every side gets a cohort
// of the same shape, so that all start from the same state and none finds
// quests another completed.
type Cohort struct {
	Prefix  string // "sp", "se", "sh", "bp", …: single/batch, then the side
	Guests  int    // guests prefix-guest-1 … prefix-guest-<Guests>
	PerHost int    // invitations per host
}

// Guest is the external id of guest i (1-based).
func (c Cohort) Guest(i int) string { return fmt.Sprintf("%s-guest-%d", c.Prefix, i) }

// Host is the external id of host i (1-based).
func (c Cohort) Host(i int) string { return fmt.Sprintf("%s-host-%d", c.Prefix, i) }

// Fixture is the benchmark's tenant, with its keys, and its cohorts.
type Fixture struct {
	Tenant  tenants.Created
	Cohorts map[string]Cohort // by prefix
}

// BuildFixture creates the tenant and campaign (SetUp), a cohort of
// cfg.Guests claimed invitations for each prefix, analyses the tables, and
// says so on out.
func BuildFixture(ctx context.Context, d *Database, run string, cfg Config, prefixes []string, out io.Writer) (Fixture, error) {
	start := time.Now()
	t, err := SetUp(ctx, d.App, run)
	if err != nil {
		return Fixture{}, err
	}
	f := Fixture{Tenant: t, Cohorts: map[string]Cohort{}}
	var all []Cohort
	for _, p := range prefixes {
		f.Cohorts[p] = Cohort{Prefix: p, Guests: cfg.Guests, PerHost: cfg.PerHost}
		all = append(all, f.Cohorts[p])
	}
	if err := AddCohorts(ctx, d.App, t.TenantID, all, max(2, runtime.NumCPU())); err != nil {
		return Fixture{}, err
	}
	if _, err := d.Owner.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return Fixture{}, fmt.Errorf("vacuum: %w", err)
	}
	fmt.Fprintf(out, "fixture   tenant %s; campaign %q: quest %v, guest reward, 3 host milestones;\n", t.TenantID, CampaignSlug, QuestSteps)
	fmt.Fprintf(out, "          %d cohorts × %d claimed invitations (%d hosts × %d), built in %.1f s\n",
		len(all), cfg.Guests, cfg.Guests/cfg.PerHost, cfg.PerHost, time.Since(start).Seconds())
	return f, nil
}

// SetUp creates the tenant (with its secret key), its three quest events
// and the published campaign: a 3-step quest, a guest reward and a 3-row
// host milestone table.
func SetUp(ctx context.Context, db *gorm.DB, run string) (tenants.Created, error) {
	t, err := tenants.Create(ctx, db, tenants.NewTenant{
		Name:          "Bench " + run,
		OwnerEmail:    "owner+" + run + "@bench.example",
		OwnerPassword: "bench-password-" + run,
	})
	if err != nil {
		return tenants.Created{}, err
	}
	credit := func(what string, amount int64) models.Reward {
		return models.Reward{Description: what, Kind: "credit", Quantity: 1, Amount: &amount, Currency: "USD"}
	}
	guestReward := credit("Welcome credit", 500)
	rules := models.Rules{
		Steps:       QuestSteps,
		GuestReward: &guestReward,
		Milestones: []models.Milestone{
			{Count: 1, Reward: credit("First referral", 1000)},
			{Count: 2, Reward: credit("Second referral", 1500)},
			{Count: 3, Reward: credit("Third referral", 2500)},
		},
	}
	err = tenants.WithTenant(ctx, db, t.TenantID, func(ctx context.Context) error {
		for _, s := range QuestSteps {
			if _, _, err := models.DefineEvent(ctx, s, "benchmark quest step"); err != nil {
				return err
			}
		}
		in := models.CampaignInput{Name: "Benchmark", Mode: models.ModeInvitation, Rules: rules}
		if _, _, err := models.SaveCampaignDraft(ctx, CampaignSlug, in); err != nil {
			return err
		}
		_, err := models.PublishCampaign(ctx, CampaignSlug, models.InflightKeep)
		return err
	})
	if err != nil {
		return tenants.Created{}, fmt.Errorf("fixture: campaign: %w", err)
	}
	return t, nil
}

// AddCohorts creates and claims every cohort's invitations through the
// engine, hostsPerTx hosts per transaction, on workers goroutines.
func AddCohorts(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, cohorts []Cohort, workers int) error {
	type job struct {
		c    Cohort
		host int
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				if err := addHosts(ctx, db, tenantID, j.c, j.host); err != nil {
					errs <- fmt.Errorf("fixture: %s: %w", j.c.Host(j.host), err)
					cancel() // stops the feeder; the other workers drain
					return
				}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, c := range cohorts {
			for h := 1; h <= c.Guests/c.PerHost; h += hostsPerTx {
				select {
				case jobs <- job{c, h}:
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

// hostsPerTx is how many hosts one fixture transaction sets up.
const hostsPerTx = 10

// addHosts gives hosts first … first+hostsPerTx-1 of the cohort their
// PerHost invitations each, each claimed by a guest of its own.
func addHosts(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, c Cohort, first int) error {
	last := min(first+hostsPerTx-1, c.Guests/c.PerHost)
	return tenants.WithTenant(ctx, db, tenantID, func(ctx context.Context) error {
		for h := first; h <= last; h++ {
			for k := range c.PerHost {
				inv, err := models.CreateInvitation(ctx, CampaignSlug, models.InvitationInput{Host: c.Host(h)})
				if err != nil {
					return err
				}
				if _, err := models.Claim(ctx, inv.Code, c.Guest((h-1)*c.PerHost+k+1)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Outcome is what a side left in the database for its cohort.
type Outcome struct {
	Events    int64 // quest events stored (the claims' own events not counted)
	Completed int64 // invitations whose quest is complete
	Rewards   int64 // reward tokens issued for them, guest and host
}

// CountOutcome reads a cohort's outcome as tandem_app, inside the tenant:
// the same door as the engine, with RLS on.
func CountOutcome(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, c Cohort) (Outcome, error) {
	var o Outcome
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT set_config('role', ?, true), set_config('app.tenant_id', ?, true)`,
			tenants.AppRole, tenantID.String()).Error; err != nil {
			return err
		}
		return tx.Raw(`
			WITH guests AS (SELECT id FROM participants WHERE external_id LIKE ?),
			     invs AS (SELECT i.id, i.completed_at FROM invitations i JOIN guests g ON g.id = i.guest_id)
			SELECT (SELECT count(*) FROM events e JOIN guests g ON g.id = e.participant_id
			        WHERE e.name <> 'invitation_claimed') AS events,
			       (SELECT count(*) FROM invs WHERE completed_at IS NOT NULL) AS completed,
			       (SELECT count(*) FROM reward_tokens r JOIN invs ON invs.id = r.invitation_id) AS rewards`,
			c.Prefix+"-guest-%").Row().Scan(&o.Events, &o.Completed, &o.Rewards)
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("count outcome of %s: %w", c.Prefix, err)
	}
	return o, nil
}
