package models_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// A version published while an event of one of its new steps is in flight
// judges that event (migrations/00035_publish_awaits_events_in_flight.sql).
// Here bob's page view is stored but not committed, having seen page_view
// as no step; a draft whose one step is page_view is then saved, and
// published with "migrate". Publishing must not judge bob's invitation
// without the page view: it waits for the event's commit, and then bob's
// quest is done.
func TestPublishJudgesAStepEventInFlight(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete")
	inFlight := pageViewInFlight(t, tenant, "bob")
	saveDraft(t, tenant, "page_view")

	published := make(chan error, 1)
	go func() {
		published <- env.TryInTenant(tenant, func(ctx context.Context) error {
			if _, err := models.PublishCampaign(ctx, "judging", models.InflightMigrate); err != nil {
				return err
			}
			return finishMigration(ctx, "judging")
		})
	}()
	waitForLockOrDone(t, tenant, published)
	must(t, inFlight.Commit(context.Background()))
	must(t, <-published)

	wantInvitation(t, tenant, "bob", "2 1 true")
}

// The same race through a claim: once the version is published, carol
// claims an invitation under it while her page view may still be in
// flight. Publishing waits for the page view, so the claim sees it and
// carol's quest is done at once.
func TestClaimUnderANewVersionSeesAStepEventInFlight(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete")
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "carol"})
		return err
	})
	inFlight := pageViewInFlight(t, tenant, "carol")
	saveDraft(t, tenant, "page_view")

	claimed := make(chan error, 1)
	go func() {
		claimed <- env.TryInTenant(tenant, func(ctx context.Context) error {
			if _, err := models.PublishCampaign(ctx, "judging", models.InflightKeep); err != nil {
				return err
			}
			inv, err := models.CreateInvitation(ctx, "judging", models.InvitationInput{Host: "alice"})
			if err != nil {
				return err
			}
			_, err = models.Claim(ctx, inv.Code, "carol")
			return err
		})
	}()
	waitForLockOrDone(t, tenant, claimed)
	must(t, inFlight.Commit(context.Background()))
	must(t, <-claimed)

	wantInvitation(t, tenant, "carol", "2 1 true")
}

// Publishing waits only for the events that could have missed its steps:
// a page view in flight holds up neither a version whose steps it does not
// name nor the tenant's other events.
func TestPublishDoesNotWaitForOtherEvents(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete")
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "purchase_complete", "")
		return err
	})
	inFlight := pageViewInFlight(t, tenant, "bob")
	saveDraft(t, tenant, "purchase_complete")
	env.InTenant(t, tenant, func(ctx context.Context) error {
		if err := event(ctx, "dave", "page_view"); err != nil {
			return err
		}
		if _, err := models.PublishCampaign(ctx, "judging", models.InflightMigrate); err != nil {
			return err
		}
		return finishMigration(ctx, "judging")
	})
	must(t, inFlight.Rollback(context.Background()))
}

// pageViewInFlight stores a page view of participant in a transaction of
// its own, as tandem_app, and leaves it open: committed or rolled back by
// the caller, or rolled back at the test's end.
func pageViewInFlight(t *testing.T, tenant uuid.UUID, participant string) pgx.Tx {
	t.Helper()
	tx := appTx(t, newRawDB(t).owner, tenant)
	_, err := tx.Exec(context.Background(), `SELECT * FROM ingest_events($2, ARRAY[$1], ARRAY['page_view'], ARRAY[NULL]::text[],
		ARRAY[NULL]::timestamptz[], ARRAY[NULL]::jsonb[])`, participant, tenant)
	must(t, err)
	return tx
}

// saveDraft saves the judging campaign's draft with steps, and commits it.
func saveDraft(t *testing.T, tenant uuid.UUID, steps ...string) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.SaveCampaignDraft(ctx, "judging", models.CampaignInput{Name: "judging", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: steps}})
		return err
	})
}

// wantInvitation checks guest's one invitation: its version, progress and
// whether it is complete, as "2 1 true".
func wantInvitation(t *testing.T, tenant uuid.UUID, guest, want string) {
	t.Helper()
	r := newRawDB(t)
	if got := r.str(tenant, `SELECT version || ' ' || progress || ' ' || (completed_at IS NOT NULL) FROM invitations WHERE guest_id = $1`,
		r.participant(tenant, guest)); got != want {
		t.Errorf("%s's invitation: version, progress, completed = %s, want %s", guest, got, want)
	}
}

// waitForLockOrDone waits until a query of the test's database waits for a
// lock on the node that holds tenant's rows (on Citus, the worker where
// the page view's locks are held and the publication's triggers wait for
// them), or done has a value (which it leaves for the caller to read).
func waitForLockOrDone(t *testing.T, tenant uuid.UUID, done chan error) {
	t.Helper()
	node := dialRaw(t, env.TenantNodeURL(t, tenant))
	dbtest.WaitFor(t, func() bool {
		if len(done) > 0 {
			return true
		}
		var waiting int
		must(t, node.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting))
		return waiting > 0
	}, "a lock wait or the end")
}
