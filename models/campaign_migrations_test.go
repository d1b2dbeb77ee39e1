package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// finishMigration runs the running migration of the campaign slug to its
// end in the context's transaction, as the job does a batch a transaction.
func finishMigration(ctx context.Context, slug string) error {
	c, err := models.GetCampaign(ctx, slug)
	if err != nil {
		return err
	}
	for {
		_, finished, err := models.MigrateBatch(ctx, c.ID, *c.CurrentVersion, models.MigrationBatch)
		if err != nil || finished {
			return err
		}
	}
}

// migrating makes a tenant whose campaign "mig" (version 1: signup_complete)
// has guests claimed by two hosts, then publishes version 2
// (signup_complete, purchase_complete) with "migrate", committed: its
// migration is running, nothing moved yet. A second campaign, "kept", is
// published twice with "keep".
func migrating(t *testing.T, guests int) (tenant uuid.UUID, campaignID string) {
	t.Helper()
	tenant = env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		spec := campaignSpec{slug: "mig", mode: models.ModeInvitation, steps: []string{"signup_complete"},
			milestones: []int64{1000, 500}, repeatLast: true, guestAmount: 300}
		publish(t, ctx, spec)
		for g := range guests {
			inv, err := models.CreateInvitation(ctx, "mig", models.InvitationInput{Host: fmt.Sprintf("host-%d", g%2)})
			must(t, err)
			_, err = models.Claim(ctx, inv.Code, fmt.Sprintf("guest-%d", g))
			must(t, err)
		}
		publish(t, ctx, campaignSpec{slug: "kept", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		inv, err := models.CreateInvitation(ctx, "kept", models.InvitationInput{Host: "host-0"})
		must(t, err)
		_, err = models.Claim(ctx, inv.Code, "kept-guest")
		must(t, err)
		publish(t, ctx, campaignSpec{slug: "kept", mode: models.ModeInvitation, steps: []string{"signup_complete", "page_view"}})
		spec.steps = []string{"signup_complete", "purchase_complete"}
		must(t, saveAndPublish(ctx, spec, models.InflightMigrate))
		c, err := models.GetCampaign(ctx, "mig")
		campaignID = c.ID
		return err
	})
	return tenant, campaignID
}

// saveAndPublish saves spec's draft (its events already defined but the new
// ones) and publishes it with inflight.
func saveAndPublish(ctx context.Context, s campaignSpec, inflight string) error {
	for _, step := range s.steps {
		if _, _, err := models.DefineEvent(ctx, step, ""); err != nil {
			return err
		}
	}
	rules := models.Rules{Steps: s.steps, RepeatLastMilestone: s.repeatLast}
	for i, amount := range s.milestones {
		a := amount
		rules.Milestones = append(rules.Milestones, models.Milestone{Count: i + 1, Reward: models.Reward{
			Description: fmt.Sprintf("referral %d", i+1), Kind: "cash", Amount: &a, Currency: "USD"}})
	}
	if s.guestAmount > 0 {
		a := s.guestAmount
		rules.GuestReward = &models.Reward{Description: "welcome credit", Kind: "credit", Amount: &a, Currency: "USD"}
	}
	if _, _, err := models.SaveCampaignDraft(ctx, s.slug, models.CampaignInput{Name: s.slug, Mode: s.mode, Rules: rules}); err != nil {
		return err
	}
	_, err := models.PublishCampaign(ctx, s.slug, inflight)
	return err
}

// The rules of a migration's in-between state, attacked in SQL as
// tandem_app: an invitation moves only with a running migration of its
// campaign, to its version; a migration starts for the current version,
// unmoved; it only moves forward, finishes only when nothing is left below
// its version, and never changes once finished; the campaign neither
// ends meanwhile (publishing another version is refused through models
// below, which is how a version gets published); a batch runs only for the
// transaction's tenant.
func TestSchemaCampaignMigrationRules(t *testing.T) {
	tenant, mig := migrating(t, 3)
	other := env.NewTenant(t, "").TenantID
	r := newRawDB(t)
	kept := r.campaign(tenant, "kept")
	keptInvitation := r.str(tenant, `SELECT id FROM invitations WHERE campaign_id = $1 AND guest_id IS NOT NULL`, kept)
	migInvitation := r.str(tenant, `SELECT id FROM invitations WHERE campaign_id = $1 ORDER BY host_id, id LIMIT 1`, mig)
	batch := func(limit int) sqlStmt {
		return q(`SELECT * FROM migrate_inflight_batch($1, $2, 2, $3)`, tenant, mig, limit)
	}
	finishAll := []sqlStmt{batch(10), batch(10)}
	attacks := []attack{
		{name: "move an invitation of a campaign that is not migrating",
			stmt: q(`UPDATE invitations SET version = 2 WHERE id = $1`, keptInvitation),
			code: checkViolation, constraint: "invitation_migrates_with_campaign"},
		{name: "move an invitation of a finished migration", setup: finishAll,
			stmt: q(`UPDATE invitations SET version = 2 WHERE id = $1`, keptInvitation),
			code: checkViolation, constraint: "invitation_migrates_with_campaign"},
		{name: "start a migration for a version that is not current",
			stmt: q(`INSERT INTO campaign_migrations (campaign_id, version, in_flight) VALUES ($1, 1, 0)`, kept),
			code: checkViolation, constraint: "campaign_migration_start"},
		{name: "start a migration already moved",
			stmt: q(`INSERT INTO campaign_migrations (campaign_id, version, in_flight, migrated) VALUES ($1, 2, 1, 1)`, kept),
			code: checkViolation, constraint: "campaign_migration_start"},
		{name: "start a migration already finished",
			stmt: q(`INSERT INTO campaign_migrations (campaign_id, version, in_flight, finished_at) VALUES ($1, 2, 1, now())`, kept),
			code: checkViolation, constraint: "campaign_migration_start"},
		{name: "end the campaign while migrating",
			stmt: q(`UPDATE campaigns SET status = 'ended' WHERE id = $1`, mig),
			code: checkViolation, constraint: "campaign_migration_running"},
		{name: "finish with invitations left",
			stmt: q(`UPDATE campaign_migrations SET finished_at = now() WHERE campaign_id = $1`, mig),
			code: checkViolation, constraint: "campaign_migration_unfinished"},
		{name: "count backwards", setup: []sqlStmt{batch(1)},
			stmt: q(`UPDATE campaign_migrations SET migrated = 0 WHERE campaign_id = $1`, mig),
			code: checkViolation, constraint: "campaign_migration_forward"},
		{name: "move the cursor back", setup: []sqlStmt{batch(2)},
			stmt: q(`UPDATE campaign_migrations SET after_host = '', after_id = '' WHERE campaign_id = $1`, mig),
			code: checkViolation, constraint: "campaign_migration_forward"},
		{name: "clear the cursor", setup: []sqlStmt{batch(2)},
			stmt: q(`UPDATE campaign_migrations SET after_host = NULL, after_id = NULL WHERE campaign_id = $1`, mig),
			code: checkViolation, constraint: "campaign_migration_forward"},
		{name: "change a finished migration", setup: finishAll,
			stmt: q(`UPDATE campaign_migrations SET migrated = migrated + 1 WHERE campaign_id = $1`, mig),
			code: checkViolation, constraint: "campaign_migration_finished"},
		{name: "change what was in flight",
			stmt: q(`UPDATE campaign_migrations SET in_flight = 0 WHERE campaign_id = $1`, mig),
			code: insufficientPriv},
		{name: "run another tenant's batch", stmt: q(`SELECT * FROM migrate_inflight_batch($1, $2, 2, 10)`, other, mig),
			code: insufficientPriv},
		// The controls: what the batches do is allowed.
		{name: "a batch moves an invitation", stmt: q(`UPDATE invitations SET version = 2 WHERE id = $1`, migInvitation), rows: 1},
		{name: "the batches finish it", setup: finishAll[:1],
			stmt: q(`SELECT * FROM migrate_inflight_batch($1, $2, 2, 10) WHERE finished`, tenant, mig), rows: 1},
	}
	r.run(t, tenant, attacks)

	// Through models, publishing and ending answer the rule's error.
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.ChangeCampaignStatus(ctx, "mig", models.ActionEnd)
		return err
	})
	if !errors.Is(err, models.ErrMigrationRunning) {
		t.Errorf("ending while migrating: %v, want %v", err, models.ErrMigrationRunning)
	}
	err = env.TryInTenant(tenant, func(ctx context.Context) error {
		return saveAndPublish(ctx, campaignSpec{slug: "mig", mode: models.ModeInvitation, steps: []string{"purchase_complete"}}, models.InflightKeep)
	})
	if !errors.Is(err, models.ErrMigrationRunning) {
		t.Errorf("publishing while migrating: %v, want %v", err, models.ErrMigrationRunning)
	}
}

// Publishing with "migrate" takes no invitation's lock: a guest's event is
// judged while the publishing transaction is still open (here it waits
// for nothing; a lock would fail it at lock_timeout). Then a batch holds
// only its own invitations: a guest outside it is judged while it is open,
// against the version it is still on.
func TestPublishingAMigrationStallsNoGuest(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "mig", mode: models.ModeInvitation, steps: []string{"signup_complete", "purchase_complete"}})
		for g := range 4 {
			inv, err := models.CreateInvitation(ctx, "mig", models.InvitationInput{Host: "alice"})
			must(t, err)
			_, err = models.Claim(ctx, inv.Code, fmt.Sprintf("guest-%d", g))
			must(t, err)
		}
		_, _, err := models.SaveCampaignDraft(ctx, "mig", models.CampaignInput{Name: "mig", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"signup_complete"}}})
		return err
	})
	r := newRawDB(t)
	guest := func(g int) string { return r.participant(tenant, fmt.Sprintf("guest-%d", g)) }
	// An event stored as ingestion stores it, in a transaction that gives
	// up on any lock after two seconds.
	eventWithin := func(who string) error {
		ctx := context.Background()
		tx := appTx(t, dialRaw(t, env.AppURL), tenant)
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT * FROM ingest_events($1, ARRAY[$2], ARRAY['signup_complete'], ARRAY[NULL]::text[],
			ARRAY[NULL]::timestamptz[], ARRAY[NULL]::jsonb[])`, tenant, who)
		if err != nil {
			return err
		}
		return tx.Commit(ctx)
	}

	publishing := make(chan struct{})
	published := make(chan error, 1)
	go func() {
		published <- env.TryInTenant(tenant, func(ctx context.Context) error {
			if _, err := models.PublishCampaign(ctx, "mig", models.InflightMigrate); err != nil {
				return err
			}
			publishing <- struct{}{}
			<-publishing
			return nil
		})
	}()
	<-publishing
	must(t, eventWithin("guest-0")) // judged against version 1: one step of two
	publishing <- struct{}{}
	must(t, <-published)
	wantInvitation(t, tenant, "guest-0", "1 1 false")

	// The first batch of one takes the first invitation in (host, id) order.
	first := r.str(tenant, `SELECT guest_id FROM invitations WHERE guest_id IS NOT NULL ORDER BY host_id, id LIMIT 1`)
	outside := "guest-3"
	for g := range 4 {
		if guest(g) != first && g != 0 {
			outside = fmt.Sprintf("guest-%d", g)
		}
	}
	batching := make(chan struct{})
	batched := make(chan error, 1)
	go func() {
		batched <- env.TryInTenant(tenant, func(ctx context.Context) error {
			c, err := models.GetCampaign(ctx, "mig")
			must(t, err)
			if n, _, err := models.MigrateBatch(ctx, c.ID, 2, 1); err != nil || n != 1 {
				return fmt.Errorf("first batch: %d moved, %v", n, err)
			}
			batching <- struct{}{}
			<-batching
			return nil
		})
	}()
	<-batching
	must(t, eventWithin(outside))
	batching <- struct{}{}
	must(t, <-batched)
	wantInvitation(t, tenant, outside, "1 1 false")
	env.InTenant(t, tenant, func(ctx context.Context) error { return finishMigration(ctx, "mig") })
	for g := range 4 {
		want := "2 0 false"
		if who := fmt.Sprintf("guest-%d", g); who == outside || who == "guest-0" {
			want = "2 1 true" // its signup completes version 2's quest of one step
		}
		wantInvitation(t, tenant, fmt.Sprintf("guest-%d", g), want)
	}
}

// Events arriving while a migration runs in batches: every guest sends
// its quest's events while the batches move the invitations. Each
// invitation is judged by the version it is on when its event comes, and
// is never judged twice: every one completes exactly once (on version 1
// when its signup came first, on version 2 otherwise), the hosts'
// completions are numbered 1…n, each completion earns one guest reward and
// one host reward, the migration finishes with nothing left below version
// 2 and counts what it moved.
func TestEventsDuringABatchedMigration(t *testing.T) {
	const guests = 60
	tenant, mig := migrating(t, guests)
	var wg sync.WaitGroup
	errs := make(chan error, guests+1)
	wg.Go(func() {
		for finished := false; !finished; {
			err := env.TryInTenant(tenant, func(ctx context.Context) error {
				var err error
				_, finished, err = models.MigrateBatch(ctx, mig, 2, 3)
				return err
			})
			if err != nil {
				errs <- fmt.Errorf("batch: %w", err)
				return
			}
		}
	})
	for w := range 6 {
		wg.Go(func() {
			for g := w; g < guests; g += 6 {
				for _, name := range []string{"signup_complete", "purchase_complete"} {
					err := env.TryInTenant(tenant, func(ctx context.Context) error {
						return event(ctx, fmt.Sprintf("guest-%d", g), name)
					})
					if err != nil {
						errs <- fmt.Errorf("guest-%d %s: %w", g, name, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	r := newRawDB(t)
	var onV1, onV2, open, migrated, finished int64
	r.scan(tenant, q(`SELECT count(*) FILTER (WHERE version = 1), count(*) FILTER (WHERE version = 2),
		count(*) FILTER (WHERE completed_at IS NULL) FROM invitations WHERE campaign_id = $1`, mig), &onV1, &onV2, &open)
	r.scan(tenant, q(`SELECT migrated, (finished_at IS NOT NULL)::int FROM campaign_migrations WHERE campaign_id = $1`, mig), &migrated, &finished)
	t.Logf("%d completed on version 1, %d moved to version 2", onV1, onV2)
	if open != 0 || onV1+onV2 != guests || finished != 1 || migrated != onV2 {
		t.Errorf("%d open, %d on v1, %d on v2; migration finished %d, counted %d moved", open, onV1, onV2, finished, migrated)
	}
	// Each completion once, numbered 1…n per host, with one guest and one
	// host reward (milestones repeat).
	if bad := r.int(tenant, `
		SELECT count(*) FROM (
		  SELECT host_id, array_agg(completion_number ORDER BY completion_number) AS numbers, count(*) AS n
		  FROM invitations WHERE campaign_id = $1 GROUP BY host_id) h
		WHERE h.numbers <> ARRAY(SELECT generate_series(1, h.n::integer))`, mig); bad != 0 {
		t.Errorf("%d hosts whose completions are not numbered 1…n", bad)
	}
	if n := r.int(tenant, `SELECT count(*) FROM host_completions WHERE campaign_id = $1`, mig); n != 2 {
		t.Errorf("%d host counters, want 2", n)
	}
	if total := r.int(tenant, `SELECT coalesce(sum(completed), 0) FROM host_completions WHERE campaign_id = $1`, mig); total != guests {
		t.Errorf("the host counters say %d completions, want %d", total, guests)
	}
	if n := r.int(tenant, `SELECT count(*) FROM reward_tokens`); n != 2*guests {
		t.Errorf("%d reward tokens, want %d: one guest and one host reward per completion", n, 2*guests)
	}
}
