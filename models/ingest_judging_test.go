package models_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/models"
)

// An event whose name is a quest step nowhere in the tenant cannot move an
// invitation, so ingestion neither locks its guest nor judges anything: it
// goes through while a claim of that guest holds the guest's lock, where a
// step event waits its turn (migrations/00015_ingest_judges_less.sql).
func TestNonStepEventsJudgeNothing(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "judging", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		if _, _, err := models.DefineEvent(ctx, "page_view", ""); err != nil {
			return err
		}
		inv, err := models.CreateInvitation(ctx, "judging", models.InvitationInput{Host: "alice"})
		if err != nil {
			return err
		}
		_, err = models.Claim(ctx, inv.Code, "bob")
		return err
	})
	r := newRawDB(t)
	bob := r.participant(tenant, "bob")
	ctx := context.Background()

	// A claim in flight holds bob's lock exclusively until it ends.
	holder, err := r.owner.Begin(ctx)
	must(t, err)
	defer holder.Rollback(ctx)
	_, err = holder.Exec(ctx, `SELECT set_config('role', 'tandem_app', true), set_config('app.tenant_id', $1, true)`, tenant.String())
	must(t, err)
	_, err = holder.Exec(ctx, `SELECT lock_guest($1, true)`, bob)
	must(t, err)

	ingest := func(name string) error {
		return rolledBack(ctx, r.app, tenant, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '3s'`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `SELECT * FROM ingest_events(ARRAY['bob'], ARRAY[$1], ARRAY[NULL]::text[],
				ARRAY[NULL]::timestamptz[], ARRAY[NULL]::jsonb[])`, name)
			return err
		})
	}
	if err := ingest("page_view"); err != nil {
		t.Fatalf("a page view waited for the guest's lock: %v", err)
	}
	// Control: a quest step is judged, so it waits for the claim.
	wantPgError(t, ingest("signup_complete"), "55P03", "", "lock timeout")
}

// Event ids sort in the order events were stored (inserts land at the
// right edge of the primary key, however large the table), and each still
// carries 80 random bits after its clock.
func TestEventIDsInTimeOrder(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var ids []string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "page_view", ""); err != nil {
			return err
		}
		for range 3 {
			id, _, err := models.IngestEvent(ctx, models.EventInput{Participant: "bob", Name: "page_view"})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		results, err := models.IngestEvents(ctx, []models.EventInput{
			{Participant: "bob", Name: "page_view"}, {Participant: "carol", Name: "page_view"}})
		for _, r := range results {
			ids = append(ids, r.ID)
		}
		return err
	})
	shape := regexp.MustCompile(`^evt_[0-9a-f]{32}$`)
	for i, id := range ids {
		if !shape.MatchString(id) {
			t.Errorf("event id %q is not evt_ and 32 hex digits", id)
		}
		if i > 0 && id[:16] < ids[i-1][:16] {
			t.Errorf("event id %s sorts before the earlier %s", id, ids[i-1])
		}
	}
	if len(ids) != 5 || ids[3][16:] == ids[4][16:] {
		t.Errorf("ids %v: want 5, with distinct random parts", ids)
	}
}
