package tenants

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// WarmedUp is what WarmUp did: how many pooled connections it warmed (each
// a backend of its own) and how many quests it saw complete on them, all
// rolled back.
type WarmedUp struct {
	Connections int
	Completed   int
}

// The warm-up's rehearsal: a campaign whose quest, rewards and milestones
// reach every function an event can (see warmUpRules), with guests of a
// few hosts, each sending the cycle one event a statement as single events
// come, then a batch.
var (
	warmUpSteps = []string{"signup_complete", "purchase_complete"}
	warmUpCycle = []string{"signup_complete", "purchase_complete", "page_view", "page_view"}
)

const (
	warmUpHosts         = 2
	warmUpGuestsPerHost = 2
	warmUpCampaign      = "warm-up"
)

// errRehearsed ends a rehearsal's transaction: it rolls back everything
// the rehearsal wrote, its tenant first.
var errRehearsed = errors.New("warm-up: rehearsed")

// WarmUp makes each of conns pooled connections of db plan what ingestion
// reaches before traffic does. A backend plans each PL/pgSQL statement,
// and fills its catalog caches, on its first call: tens of milliseconds
// per function, which a fresh server would otherwise pay under its first
// requests, once per connection. Each connection rehearses ingestion in a
// transaction of its own that is rolled back — a tenant created inside it,
// a published campaign with a guest reward and milestones, claimed
// invitations, then events through models.IngestEvents (ingestion's own
// statement) until every quest completes — so nothing of it is ever seen
// or kept. Each rehearsal holds a connection of its own, and none starts
// before all hold theirs, so that all conns are warmed; conns must
// not exceed the pool's size. A rehearsal that does not complete its quests
// is an error: the warm-up would no longer reach what it is for.
func WarmUp(ctx context.Context, db *gorm.DB, conns int) (WarmedUp, error) {
	if conns < 1 {
		return WarmedUp{}, errors.New("warm-up: no connections to warm")
	}
	var (
		arrived sync.WaitGroup
		one     sync.Mutex // the rehearsal under way
		mu      sync.Mutex
		done    WarmedUp
		errs    []error
		wg      sync.WaitGroup
	)
	backends := map[int]bool{}
	arrived.Add(conns)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range conns {
		wg.Go(func() {
			var once sync.Once
			arrive := func() { once.Do(arrived.Done) }
			defer arrive() // a rehearsal that never got its connection frees the others
			var pid, completed int
			// Every connection is held until the rehearsals are done, so that
			// each is a different one; they rehearse one at a time: on
			// Citus their tenants and codes are writes to reference tables,
			// which deadlock when twenty transactions make them at once (and
			// two cores gain nothing from more at a time).
			err := db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
				arrive()
				arrived.Wait()
				one.Lock()
				defer one.Unlock()
				return retrying(func() error {
					return conn.Transaction(func(tx *gorm.DB) error {
						tenantID := uuid.New()
						if err := enterTenant(tx, tenantID); err != nil {
							return err
						}
						var err error
						if pid, completed, err = rehearse(models.WithTx(ctx, tx, tenantID), tx, tenantID); err != nil {
							return err
						}
						return errRehearsed
					})
				})
			})
			mu.Lock()
			defer mu.Unlock()
			if !errors.Is(err, errRehearsed) {
				errs = append(errs, err)
				cancel()
				return
			}
			backends[pid] = true
			done.Completed += completed
		})
	}
	wg.Wait()
	done.Connections = len(backends)
	if err := errors.Join(errs...); err != nil {
		return done, fmt.Errorf("warm-up: %w", err)
	}
	return done, nil
}

// rehearse runs ingestion's work in the context's transaction, on its own
// tenant, and says which backend it ran on and how many quests completed.
func rehearse(ctx context.Context, tx *gorm.DB, tenantID uuid.UUID) (pid, completed int, err error) {
	if err := tx.Raw(`SELECT pg_backend_pid()`).Scan(&pid).Error; err != nil {
		return 0, 0, fmt.Errorf("rehearse: %w", err)
	}
	slug := "warm-up-" + tenantID.String()[:8]
	if _, err := models.InsertTenant(ctx, tenantID, slug, "Warm-up", false); err != nil {
		return 0, 0, err
	}
	for _, name := range []string{"signup_complete", "purchase_complete", "page_view"} {
		if _, _, err := models.DefineEvent(ctx, name, ""); err != nil {
			return 0, 0, err
		}
	}
	in := models.CampaignInput{Name: "Warm-up", Mode: models.ModeInvitation, Rules: warmUpRules()}
	if _, _, err := models.SaveCampaignDraft(ctx, warmUpCampaign, in); err != nil {
		return 0, 0, err
	}
	if _, err := models.PublishCampaign(ctx, warmUpCampaign, models.InflightKeep); err != nil {
		return 0, 0, err
	}
	guests := warmUpHosts * warmUpGuestsPerHost
	for g := range guests {
		inv, err := models.CreateInvitation(ctx, warmUpCampaign, models.InvitationInput{Host: fmt.Sprintf("host-%d", g/warmUpGuestsPerHost)})
		if err != nil {
			return 0, 0, err
		}
		if _, err := models.Claim(ctx, inv.Code, fmt.Sprintf("guest-%d", g)); err != nil {
			return 0, 0, err
		}
	}
	// One event a statement, as POST /v1/events sends them alone, each with
	// an idempotency key; then a batch: a repeated key, a participant the
	// tenant never saw, an event nobody defined.
	n := 0
	event := func(who, name string) models.EventInput {
		n++
		return models.EventInput{Participant: who, Name: name, IdempotencyKey: fmt.Sprintf("warm-up-%d", n)}
	}
	for _, name := range warmUpCycle {
		for g := range guests {
			if _, err := models.IngestEvents(ctx, []models.EventInput{event(fmt.Sprintf("guest-%d", g), name)}); err != nil {
				return 0, 0, err
			}
		}
	}
	first := models.EventInput{Participant: "guest-0", Name: "signup_complete", IdempotencyKey: "warm-up-1"}
	batch := []models.EventInput{first, event("newcomer", "signup_complete"), event("newcomer", "no_such_event")}
	if _, err := models.IngestEvents(ctx, batch); err != nil {
		return 0, 0, err
	}
	err = tx.Raw(`SELECT count(*) FROM invitations WHERE tenant_id = ? AND completed_at IS NOT NULL`, tenantID).Scan(&completed).Error
	if err != nil {
		return 0, 0, fmt.Errorf("rehearse: %w", err)
	}
	if completed != guests {
		return 0, 0, fmt.Errorf("rehearse: %d of %d quests completed", completed, guests)
	}
	return pid, completed, nil
}

// warmUpRules has everything a completion can reach: a guest reward, and
// host milestones whose last row repeats.
func warmUpRules() models.Rules {
	credit := func(what string, amount int64) models.Reward {
		return models.Reward{Description: what, Kind: "credit", Quantity: 1, Amount: &amount, Currency: "USD"}
	}
	guest := credit("Welcome", 500)
	return models.Rules{
		Steps:       warmUpSteps,
		GuestReward: &guest,
		Milestones: []models.Milestone{
			{Count: 1, Reward: credit("First", 1000)},
			{Count: 2, Reward: credit("Every further", 1500)},
		},
		RepeatLastMilestone: true,
	}
}
