package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// campaignSlug is the benchmark's one campaign.
const campaignSlug = "bench"

// questSteps is the campaign's quest; the events of the benchmark are drawn
// from it.
var questSteps = []string{"signup_complete", "form_a_complete", "purchase_complete"}

// cohort is one measured run's own guests and hosts: claimed invitations in
// the campaign, each guest with an open quest. Every run gets a cohort of
// the same shape, so that the engine and pgbench start from the same state.
type cohort struct {
	prefix  string // "se", "sp", "be", "bp": single/batch, engine/pgbench
	guests  int    // guests prefix-guest-1 … prefix-guest-<guests>
	perHost int    // invitations per host
}

func (c cohort) guest(i int) string { return fmt.Sprintf("%s-guest-%d", c.prefix, i) }
func (c cohort) host(i int) string  { return fmt.Sprintf("%s-host-%d", c.prefix, i) }

// setUp creates the tenant, its three quest events and the published
// campaign: a 3-step quest, a guest reward and a 3-row host milestone table.
func setUp(ctx context.Context, db *gorm.DB, run string) (uuid.UUID, error) {
	t, err := tenants.Create(ctx, db, tenants.NewTenant{
		Name:          "Bench " + run,
		OwnerEmail:    "owner+" + run + "@bench.example",
		OwnerPassword: "bench-password-" + run,
	})
	if err != nil {
		return uuid.Nil, err
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
			{Count: 3, Reward: credit("Third referral", 2500)},
		},
	}
	err = tenants.WithTenant(ctx, db, t.TenantID, func(ctx context.Context) error {
		for _, s := range questSteps {
			if _, _, err := models.DefineEvent(ctx, s, "benchmark quest step"); err != nil {
				return err
			}
		}
		in := models.CampaignInput{Name: "Benchmark", Mode: models.ModeInvitation, Rules: rules}
		if _, _, err := models.SaveCampaignDraft(ctx, campaignSlug, in); err != nil {
			return err
		}
		_, err := models.PublishCampaign(ctx, campaignSlug, models.InflightKeep)
		return err
	})
	if err != nil {
		return uuid.Nil, fmt.Errorf("fixture: campaign: %w", err)
	}
	return t.TenantID, nil
}

// addCohorts creates and claims every cohort's invitations through the
// engine, hostsPerTx hosts per transaction, on workers goroutines.
func addCohorts(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, cohorts []cohort, workers int) error {
	type job struct {
		c    cohort
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
					errs <- fmt.Errorf("fixture: %s: %w", j.c.host(j.host), err)
					cancel() // stops the feeder; the other workers drain
					return
				}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, c := range cohorts {
			for h := 1; h <= c.guests/c.perHost; h += hostsPerTx {
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
// perHost invitations each, each claimed by a guest of its own.
func addHosts(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, c cohort, first int) error {
	last := min(first+hostsPerTx-1, c.guests/c.perHost)
	return tenants.WithTenant(ctx, db, tenantID, func(ctx context.Context) error {
		for h := first; h <= last; h++ {
			for k := range c.perHost {
				inv, err := models.CreateInvitation(ctx, campaignSlug, models.InvitationInput{Host: c.host(h)})
				if err != nil {
					return err
				}
				if _, err := models.Claim(ctx, inv.Code, c.guest((h-1)*c.perHost+k+1)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// outcome is what a run left in the database for its cohort.
type outcome struct {
	events    int64 // quest events stored (the claims' own events not counted)
	completed int64 // invitations whose quest is complete
	rewards   int64 // reward tokens issued for them, guest and host
}

// countOutcome reads a cohort's outcome as tandem_app, inside the tenant:
// the same door as the engine, with RLS on.
func countOutcome(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, c cohort) (outcome, error) {
	var o outcome
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
			c.prefix+"-guest-%").Row().Scan(&o.events, &o.completed, &o.rewards)
	})
	if err != nil {
		return outcome{}, fmt.Errorf("count outcome of %s: %w", c.prefix, err)
	}
	return o, nil
}
