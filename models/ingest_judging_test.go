package models_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// An event whose name is a quest step nowhere in the tenant cannot move an
// invitation, so ingestion neither locks its guest nor judges anything: it
// goes through while a claim of that guest holds the guest's lock, where a
// step event waits its turn (migrations/00015_ingest_judges_less.sql).
func TestNonStepEventsJudgeNothing(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete")
	ingest, _ := holdGuestLock(t, tenant, "bob")
	if err := ingest("page_view"); err != nil {
		t.Fatalf("a page view waited for the guest's lock: %v", err)
	}
	// Control: a quest step is judged, so it waits for the claim.
	wantPgError(t, ingest("signup_complete"), "55P03", "", "lock timeout")
}

// Judging reads only which names a guest has sent, so a step name the guest
// has sent before cannot move an invitation either: it goes through while
// the guest's lock is held, and a step name the guest has not sent yet
// waits (migrations/00033_judge_new_pairs_only.sql). The invitation still
// completes when the last new step arrives.
func TestRepeatedStepEventsJudgeNothing(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete", "purchase_complete")
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.IngestEvent(ctx, models.EventInput{Participant: "bob", Name: "signup_complete"})
		return err
	})
	ingest, release := holdGuestLock(t, tenant, "bob")
	if err := ingest("signup_complete"); err != nil {
		t.Fatalf("a repeated signup waited for the guest's lock: %v", err)
	}
	wantPgError(t, ingest("purchase_complete"), "55P03", "", "lock timeout")
	release()

	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, name := range []string{"signup_complete", "purchase_complete"} {
			if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: "bob", Name: name}); err != nil {
				return err
			}
		}
		return nil
	})
	r := newRawDB(t)
	if got := r.str(tenant, `SELECT progress || ' ' || (completed_at IS NOT NULL) FROM invitations WHERE guest_id = $1`,
		r.participant(tenant, "bob")); got != "2 true" {
		t.Errorf("bob's invitation: progress, completed = %s, want 2 true", got)
	}
}

// A name that becomes a quest step while an event of it is being stored is
// judged for every guest who sent it, though its pairs were not asked
// about. Here a batch has read the steps (page_view is none) and waits
// before it locks its names, held up by the names table; meanwhile a
// draft whose only step is page_view is saved, and its publication passes
// the barrier (no page view holds its name yet) and waits to judge. Once
// the table is free, the batch sees page_view as a step after its insert
// and judges bob, whoever of the two takes bob's lock first: bob's
// invitation, migrated to the new version, completes.
//
// The names table is locked where the tenant's rows are (on Citus, its
// shard on the tenant's worker, where the batch runs delegated and the
// publication's statements and triggers run).
func TestNameBecomingAStepDuringIngestionIsJudged(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete")
	ctx := context.Background()
	node := env.TenantNodeURL(t, tenant)
	names := namesTable{node: dialRaw(t, node), table: env.TenantShard(t, "participant_event_names", tenant)}
	lock, err := dialRaw(t, node).Begin(ctx)
	must(t, err)
	defer lock.Rollback(ctx)
	// Citus lets a shard be locked by hand only when told so.
	_, err = lock.Exec(ctx, `SET LOCAL citus.enable_manual_changes_to_shards = on`)
	must(t, err)
	_, err = lock.Exec(ctx, `LOCK TABLE `+pgx.Identifier{names.table}.Sanitize()+` IN ACCESS EXCLUSIVE MODE`)
	must(t, err)
	stored := make(chan error, 1)
	go func() {
		stored <- env.TryInTenant(tenant, func(ctx context.Context) error {
			// dave's signup makes the batch ask which of its pairs are new.
			_, err := models.IngestEvents(ctx, []models.EventInput{
				{Participant: "bob", Name: "page_view"}, {Participant: "dave", Name: "signup_complete"}})
			return err
		})
	}()
	names.waitFor(t, 1, "the batch to wait for the names table")
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
	names.waitFor(t, 2, "the publication to wait for the names table")
	must(t, lock.Rollback(ctx))
	must(t, <-stored)
	must(t, <-published)

	wantInvitation(t, tenant, "bob", "2 1 true")
}

// namesTable is the relation that holds a tenant's participant_event_names
// (env.TenantShard) and a connection to its node.
type namesTable struct {
	node  *pgx.Conn
	table string
}

// waitFor waits until n queries wait for a lock on the names table.
func (names namesTable) waitFor(t *testing.T, n int, what string) {
	t.Helper()
	dbtest.WaitFor(t, func() bool {
		var waiting int
		must(t, names.node.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks WHERE relation = to_regclass($1) AND NOT granted`,
			names.table).Scan(&waiting))
		return waiting == n
	}, what)
}

// claimedGuest returns a new tenant whose invitation campaign has a quest of
// steps, with page_view defined too, and bob's claimed invitation from alice.
func claimedGuest(t *testing.T, steps ...string) uuid.UUID {
	t.Helper()
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "judging", mode: models.ModeInvitation, steps: steps})
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
	return tenant
}

// holdGuestLock holds guest's lock exclusively, as a claim in flight does,
// until release or the test's end, and returns a function that ingests one
// event of the guest in a transaction of its own, rolled back, giving up on
// any lock after 3 s (a lock timeout, SQLSTATE 55P03). The lock is held
// where a claim's trigger takes it, on the node that holds the tenant's
// rows (on Citus, the worker where ingestion runs delegated).
func holdGuestLock(t *testing.T, tenant uuid.UUID, guest string) (ingest func(name string) error, release func()) {
	t.Helper()
	r := newRawDB(t)
	ctx := context.Background()
	holder := appTx(t, dialRaw(t, env.TenantNodeURL(t, tenant)), tenant)
	release = func() { holder.Rollback(ctx) }
	_, err := holder.Exec(ctx, `SELECT lock_guest($1, true)`, r.participant(tenant, guest))
	must(t, err)
	ingest = func(name string) error {
		return rolledBack(ctx, r.app, tenant, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '3s'`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `SELECT * FROM ingest_events($3, ARRAY[$1], ARRAY[$2], ARRAY[NULL]::text[],
				ARRAY[NULL]::timestamptz[], ARRAY[NULL]::jsonb[])`, guest, name, tenant)
			return err
		})
	}
	return ingest, release
}

// Event ids sort in the order events were stored (inserts land at the
// right edge of the primary key, however large the table), and each still
// carries random bits after its clock (TestSortedIDsRandomBits).
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

// Every hex digit after a sorted id's clock is drawn: none of the 20 is
// the same in 400 single ids (a UUID's version digit taken in would be).
func TestSortedIDsRandomBits(t *testing.T) {
	var ids []string
	if err := env.Owner.Raw(`SELECT new_sorted_id('x') FROM generate_series(1, 400)`).Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	for pos := range 20 {
		digits := map[byte]bool{}
		for _, id := range ids {
			digits[id[len("x_")+12+pos]] = true
		}
		// The count's first digit is below 8 (it starts under 2^31).
		if len(digits) < 4 {
			t.Errorf("digit %d after the clock takes %d values in %d ids", pos+1, len(digits), len(ids))
		}
	}
}
