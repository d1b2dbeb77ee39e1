package models_test

// The rules of docs/design.md §2.2, attacked directly in SQL. Fixtures are built
// through models and tenants in committed transactions; every
// attack then runs as raw SQL in a transaction of its own, as the restricted
// role tandem_app (or, to reach the triggers behind a missing privilege, as
// the superuser that owns the schema), and is always rolled back. A failed
// statement aborts a PostgreSQL transaction, so each attack gets a fresh one.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// SQLSTATEs the attacks expect.
const (
	checkViolation      = "23514"
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	insufficientPriv    = "42501" // a missing privilege, or a row that fails a row-level security policy
)

// sqlStmt is one SQL statement and its arguments.
type sqlStmt struct {
	sql  string
	args []any
}

func q(sql string, args ...any) sqlStmt { return sqlStmt{sql: sql, args: args} }

// attack is one statement run straight in SQL in a rolled-back transaction.
type attack struct {
	name  string
	owner bool      // as the schema's owner (a superuser) instead of tandem_app
	setup []sqlStmt // run first in the same transaction; each must succeed
	stmt  sqlStmt
	// The expected outcome: an error with SQLSTATE code and this constraint
	// name (and msg in its message), or, with code "", success touching
	// exactly rows rows.
	code, constraint, msg string
	rows                  int64
}

// asReferee is the setup of an attack run as tandem_referee, the role the
// schema's own trigger functions write as (with owner: true, whose
// connection may switch to it): it meets the guards behind the privileges.
var asReferee = []sqlStmt{q(`SET LOCAL ROLE tandem_referee`)}

// rawDB is a pair of plain pgx connections: one logged in as tandem_app, one
// as the superuser that owns the schema.
type rawDB struct {
	t          testing.TB
	app, owner *pgx.Conn
}

func newRawDB(t testing.TB) *rawDB {
	return &rawDB{t: t, app: dialRaw(t, env.AppURL), owner: dialRaw(t, env.OwnerURL)}
}

// dialRaw opens a raw connection that closes when the test ends.
func dialRaw(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// rolledBack runs fn in a transaction on conn with app.tenant_id set to
// tenant for that transaction (left unset for uuid.Nil), then rolls back.
func rolledBack(ctx context.Context, conn *pgx.Conn, tenant uuid.UUID, fn func(pgx.Tx) error) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if tenant != uuid.Nil {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, tenant.String()); err != nil {
			return err
		}
	}
	return fn(tx)
}

// appTx begins a transaction on conn as tandem_app in tenant, left open for
// the test to end (rolled back at the test's end if it does not).
func appTx(t testing.TB, conn *pgx.Conn, tenant uuid.UUID) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	must(t, err)
	t.Cleanup(func() { tx.Rollback(ctx) })
	_, err = tx.Exec(ctx, `SELECT set_config('role', 'tandem_app', true), set_config('app.tenant_id', $1, true)`, tenant.String())
	must(t, err)
	return tx
}

// scan reads one row as tandem_app in a transaction of tenant.
func (r *rawDB) scan(tenant uuid.UUID, s sqlStmt, dest ...any) {
	r.t.Helper()
	err := rolledBack(context.Background(), r.app, tenant, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), s.sql, s.args...).Scan(dest...)
	})
	if err != nil {
		r.t.Fatalf("%s: %v", s.sql, err)
	}
}

func (r *rawDB) str(tenant uuid.UUID, sql string, args ...any) string {
	r.t.Helper()
	var s string
	r.scan(tenant, q(sql, args...), &s)
	return s
}

func (r *rawDB) int(tenant uuid.UUID, sql string, args ...any) int64 {
	r.t.Helper()
	var n int64
	r.scan(tenant, q(sql, args...), &n)
	return n
}

func (r *rawDB) participant(tenant uuid.UUID, externalID string) string {
	r.t.Helper()
	return r.str(tenant, `SELECT id FROM participants WHERE external_id = $1`, externalID)
}

func (r *rawDB) campaign(tenant uuid.UUID, slug string) string {
	r.t.Helper()
	return r.str(tenant, `SELECT id FROM campaigns WHERE slug = $1`, slug)
}

// run runs each attack as a subtest of t.
func (r *rawDB) run(t *testing.T, tenant uuid.UUID, attacks []attack) {
	t.Helper()
	ctx := context.Background()
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			conn := r.app
			if a.owner {
				conn = r.owner
			}
			var tag pgconn.CommandTag
			err := rolledBack(ctx, conn, tenant, func(tx pgx.Tx) error {
				for i, s := range a.setup {
					if _, err := tx.Exec(ctx, s.sql, s.args...); err != nil {
						t.Fatalf("setup %d (%s): %v", i+1, s.sql, err)
					}
				}
				var err error
				tag, err = tx.Exec(ctx, a.stmt.sql, a.stmt.args...)
				return err
			})
			if a.code == "" {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				if tag.RowsAffected() != a.rows {
					t.Fatalf("want %d rows affected, got %d (%s)", a.rows, tag.RowsAffected(), tag)
				}
				return
			}
			wantPgError(t, err, a.code, a.constraint, a.msg)
		})
	}
}

// wantPgError fails unless err is a PostgreSQL error with this SQLSTATE,
// constraint name and message substring.
func wantPgError(t testing.TB, err error, code, constraint, msg string) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		t.Fatalf("want SQLSTATE %s (constraint %q), got %v", code, constraint, err)
	}
	if pgErr.Code != code || pgErr.ConstraintName != constraint || !strings.Contains(pgErr.Message, msg) {
		t.Fatalf("want SQLSTATE %s (constraint %q, message with %q), got SQLSTATE %s (constraint %q): %s",
			code, constraint, msg, pgErr.Code, pgErr.ConstraintName, pgErr.Message)
	}
}

// addParticipants creates participants by external id through the schema's own
// participant_id(), committed in a transaction of tenant.
func addParticipants(t testing.TB, tenant uuid.UUID, externalIDs ...string) {
	t.Helper()
	ctx := context.Background()
	conn := dialRaw(t, env.AppURL)
	tx, err := conn.Begin(ctx)
	must(t, err)
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, tenant.String())
	must(t, err)
	for _, x := range externalIDs {
		_, err := tx.Exec(ctx, `SELECT participant_id($1)`, x)
		must(t, err)
	}
	must(t, tx.Commit(ctx))
}

// Not a schema rule, but found while building these fixtures: the upsert
// behind POST /v1/participants failed for every input. gorm replaced
// "@email" with a placeholder but left "@email::text" as written, which
// PostgreSQL read as the prefix operator @ (absolute value) applied to the
// column email: "column reference "email" is ambiguous" (42702).
func TestSchemaGoUpsertParticipant(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	email := "bob@example.com"
	for _, in := range []models.ParticipantInput{{ExternalID: "bob", Email: &email}, {ExternalID: "carol"}} {
		err := env.TryInTenant(tenant, func(ctx context.Context) error {
			_, _, err := models.UpsertParticipant(ctx, in)
			return err
		})
		if err != nil {
			t.Errorf("UpsertParticipant(%+v): %v", in, err)
		}
	}
}

func mustInvite(t testing.TB, ctx context.Context, slug, host string) models.Invitation {
	t.Helper()
	inv, err := models.CreateInvitation(ctx, slug, models.InvitationInput{Host: host})
	must(t, err)
	return inv
}

func mustClaim(t testing.TB, ctx context.Context, code, guest string) models.Invitation {
	t.Helper()
	inv, err := models.Claim(ctx, code, guest)
	must(t, err)
	return inv
}

// Rule 1: an invitation is claimed at most once; a guest is referred at most
// once per campaign; a host cannot refer themself.
func TestSchemaRule1ClaimedOnceNoSelfReferral(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var claimed, pending, spare models.Invitation
	var aliceCode, carolCode string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		addParticipants(t, tenant, "dave", "erin")
		publish(t, ctx, campaignSpec{slug: "manual", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		claimed = mustClaim(t, ctx, mustInvite(t, ctx, "manual", "alice").Code, "bob")
		pending = mustInvite(t, ctx, "manual", "carol")
		spare = mustInvite(t, ctx, "manual", "alice")
		publish(t, ctx, campaignSpec{slug: "codes", mode: models.ModeReferrerCode, steps: []string{"signup_complete"}})
		var err error
		aliceCode, err = models.ReferrerCode(ctx, "codes", "alice")
		must(t, err)
		carolCode, err = models.ReferrerCode(ctx, "codes", "carol")
		must(t, err)
		mustClaim(t, ctx, aliceCode, "bob")
		return nil
	})
	r := newRawDB(t)
	alice, bob, dave := r.participant(tenant, "alice"), r.participant(tenant, "bob"), r.participant(tenant, "dave")
	// bob is a guest in both campaigns: once per campaign, not once overall.
	if n := r.int(tenant, `SELECT count(DISTINCT campaign_id) FROM invitations WHERE guest_id = $1`, bob); n != 2 {
		t.Fatalf("fixture: bob is a guest in %d campaigns, want 2", n)
	}
	signUp := `INSERT INTO invitations (campaign_id, kind, host_id, referrer_code, guest_id)
		SELECT campaign_id, 'referrer_code', host_id, code, $2 FROM referrer_codes WHERE code = $1`

	r.run(t, tenant, []attack{
		{name: "claim an already claimed invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, dave, claimed.ID),
			code: checkViolation, constraint: "invitation_already_claimed"},
		{name: "claim it again for the same guest with a new claim time",
			stmt: q(`UPDATE invitations SET claimed_at = now() - interval '1 day' WHERE id = $1`, claimed.ID),
			code: checkViolation, constraint: "invitation_already_claimed"},
		{name: "unclaim an invitation",
			stmt: q(`UPDATE invitations SET guest_id = NULL, claimed_at = NULL, version = NULL, progress = 0 WHERE id = $1`, claimed.ID),
			code: checkViolation, constraint: "invitation_already_claimed"},
		{name: "insert a manual invitation already claimed",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, guest_id) VALUES ($1, 'invitation', $2, $3)`,
				r.campaign(tenant, "manual"), alice, dave),
			code: checkViolation, constraint: "invitation_shape"},
		{name: "refer a guest twice in a manual campaign",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, bob, pending.ID),
			code: uniqueViolation, constraint: "guest_once_per_campaign"},
		{name: "refer a guest twice in a referrer-code campaign",
			stmt: q(signUp, carolCode, bob),
			code: uniqueViolation, constraint: "guest_once_per_campaign"},
		{name: "refer a guest twice with the same referrer code",
			stmt: q(signUp, aliceCode, bob),
			code: uniqueViolation, constraint: "guest_once_per_campaign"},
		{name: "host claims their own invitation",
			stmt: q(`UPDATE invitations SET guest_id = host_id WHERE id = $1`, spare.ID),
			code: checkViolation, constraint: "self_referral"},
		{name: "host signs up with their own referrer code",
			stmt: q(signUp, aliceCode, alice),
			code: checkViolation, constraint: "self_referral"},
		{name: "control: a new guest claims a pending invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, dave, spare.ID), rows: 1},
		{name: "control: a new guest signs up with a referrer code",
			stmt: q(signUp, carolCode, dave), rows: 1},
	})

	t.Run("first claim wins under concurrency", func(t *testing.T) {
		var inv models.Invitation
		env.InTenant(t, tenant, func(ctx context.Context) error {
			inv = mustInvite(t, ctx, "manual", "frank")
			addParticipants(t, tenant, "race1", "race2", "race3", "race4", "race5", "race6", "race7", "race8")
			return nil
		})
		errs := runConcurrently(8, func(i int) error {
			return env.TryInTenant(tenant, func(ctx context.Context) error {
				_, err := models.Claim(ctx, inv.Code, fmt.Sprintf("race%d", i+1))
				return err
			})
		})
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, models.ErrInvitationAlreadyClaimed):
				t.Errorf("losing claim: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d claims won, want exactly 1", wins)
		}
		if n := r.int(tenant, `SELECT count(*) FROM events e JOIN participants p ON p.tenant_id = e.tenant_id AND p.id = e.participant_id
			WHERE p.external_id LIKE 'race_' AND e.name = 'invitation_claimed'`); n != 1 {
			t.Fatalf("%d invitation_claimed events among the racing guests, want 1", n)
		}
	})

	t.Run("a guest claiming two invitations at once is referred once", func(t *testing.T) {
		var a, b models.Invitation
		env.InTenant(t, tenant, func(ctx context.Context) error {
			a, b = mustInvite(t, ctx, "manual", "gina"), mustInvite(t, ctx, "manual", "hank")
			addParticipants(t, tenant, "ivy")
			return nil
		})
		codes := []string{a.Code, b.Code}
		errs := runConcurrently(2, func(i int) error {
			return env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.Claim(ctx, codes[i], "ivy"); return err })
		})
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("want exactly one claim to win: %v", errs)
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, models.ErrGuestAlreadyReferred) {
				t.Fatalf("losing claim: %v", err)
			}
		}
	})
}

// runConcurrently runs fn(0..n-1) in n goroutines released at once and returns
// their errors by index.
func runConcurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// Rule 1: a claim needs an unexpired invitation. now() cannot be faked, so
// the fixture is made old instead: the owner back-dates a fresh invitation's
// created_at/expires_at with session_replication_role = replica, which
// silences the trigger that keeps those columns fixed for that one UPDATE.
// The claim then goes through the real trigger as tandem_app.
func TestSchemaRule1ExpiredInvitation(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var old, fresh models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "expiry", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		old, fresh = mustInvite(t, ctx, "expiry", "alice"), mustInvite(t, ctx, "expiry", "alice")
		addParticipants(t, tenant, "bob")
		return nil
	})
	r := newRawDB(t)
	ctx := context.Background()
	tx, err := r.owner.Begin(ctx)
	must(t, err)
	_, err = tx.Exec(ctx, `SET LOCAL session_replication_role = replica`)
	must(t, err)
	tag, err := tx.Exec(ctx, `UPDATE invitations SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
		WHERE tenant_id = $1 AND id = $2`, tenant.String(), old.ID)
	must(t, err)
	if tag.RowsAffected() != 1 {
		t.Fatalf("back-dated %d invitations", tag.RowsAffected())
	}
	must(t, tx.Commit(ctx))

	bob := r.participant(tenant, "bob")
	r.run(t, tenant, []attack{
		{name: "claim an expired invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, bob, old.ID),
			code: checkViolation, constraint: "invitation_expired"},
		{name: "extend an invitation's expiry",
			stmt: q(`UPDATE invitations SET expires_at = now() + interval '1 day' WHERE id = $1`, old.ID),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "control: claim an unexpired invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, bob, fresh.ID), rows: 1},
	})
	err = env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.Claim(ctx, old.Code, "bob"); return err })
	if !errors.Is(err, models.ErrInvitationExpired) {
		t.Fatalf("models.Claim of an expired invitation: %v", err)
	}
}

// Rule 2: an invitation's kind matches its campaign's mode; nothing can be
// claimed in a campaign that is not active.
func TestSchemaRule2ModeAndLiveCampaign(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var pending models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		addParticipants(t, tenant, "dave")
		publish(t, ctx, campaignSpec{slug: "manual", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		pending = mustInvite(t, ctx, "manual", "alice")
		publish(t, ctx, campaignSpec{slug: "codes", mode: models.ModeReferrerCode, steps: []string{"signup_complete"}})
		_, err := models.ReferrerCode(ctx, "codes", "alice")
		must(t, err)
		for slug, mode := range map[string]string{"draft": models.ModeInvitation, "draft-codes": models.ModeReferrerCode} {
			_, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: slug, Mode: mode,
				Rules: models.Rules{Steps: []string{"signup_complete"}}})
			must(t, err)
		}
		return nil
	})
	r := newRawDB(t)
	alice, dave := r.participant(tenant, "alice"), r.participant(tenant, "dave")
	manual, codes := r.campaign(tenant, "manual"), r.campaign(tenant, "codes")
	draft, draftCodes := r.campaign(tenant, "draft"), r.campaign(tenant, "draft-codes")
	aliceCode := r.str(tenant, `SELECT code FROM referrer_codes WHERE campaign_id = $1 AND host_id = $2`, codes, alice)
	claimPending := q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, dave, pending.ID)
	signUp := func(campaign string) sqlStmt {
		return q(`INSERT INTO invitations (campaign_id, kind, host_id, referrer_code, guest_id)
			SELECT campaign_id, 'referrer_code', host_id, code, $2 FROM referrer_codes WHERE campaign_id = $1`, campaign, dave)
	}
	setStatus := func(campaign, status string) sqlStmt {
		return q(`UPDATE campaigns SET status = $2 WHERE id = $1`, campaign, status)
	}

	r.run(t, tenant, []attack{
		{name: "referrer-code invitation in an invitation-mode campaign",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, referrer_code, guest_id) VALUES ($1, 'referrer_code', $2, $3, $4)`,
				manual, alice, aliceCode, dave),
			code: foreignKeyViolation, constraint: "invitation_campaign_mode"},
		{name: "manual invitation in a referrer-code campaign",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id) VALUES ($1, 'invitation', $2)`, codes, alice),
			code: foreignKeyViolation, constraint: "invitation_campaign_mode"},
		{name: "referrer code in an invitation-mode campaign",
			stmt: q(`INSERT INTO referrer_codes (campaign_id, host_id) VALUES ($1, $2)`, manual, dave),
			code: foreignKeyViolation, constraint: "referrer_code_campaign_mode"},
		{name: "change an invitation's kind",
			stmt: q(`UPDATE invitations SET kind = 'referrer_code' WHERE id = $1`, pending.ID),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "move an invitation to another campaign",
			stmt: q(`UPDATE invitations SET campaign_id = $1 WHERE id = $2`, draft, pending.ID),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "switch a published campaign's mode",
			stmt: q(`UPDATE campaigns SET mode = 'referrer_code' WHERE id = $1`, manual),
			code: checkViolation, constraint: "campaign_mode_fixed"},
		{name: "claim in a paused campaign",
			setup: []sqlStmt{setStatus(manual, "paused")}, stmt: claimPending,
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "claim in an ended campaign",
			setup: []sqlStmt{setStatus(manual, "ended")}, stmt: claimPending,
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "claim after the campaign's end date",
			setup: []sqlStmt{q(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, manual)},
			stmt:  claimPending, code: checkViolation, constraint: "campaign_not_active"},
		{name: "claim before the campaign's start date",
			setup: []sqlStmt{q(`UPDATE campaigns SET starts_at = now() + interval '1 hour' WHERE id = $1`, manual)},
			stmt:  claimPending, code: checkViolation, constraint: "campaign_not_active"},
		{name: "sign up with a referrer code in a paused campaign",
			setup: []sqlStmt{setStatus(codes, "paused")}, stmt: signUp(codes),
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "sign up with a referrer code in an ended campaign",
			setup: []sqlStmt{setStatus(codes, "ended")}, stmt: signUp(codes),
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "invite in a draft campaign",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id) VALUES ($1, 'invitation', $2)`, draft, alice),
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "sign up with a referrer code in a draft campaign",
			setup: []sqlStmt{q(`INSERT INTO referrer_codes (campaign_id, host_id) VALUES ($1, $2)`, draftCodes, alice)},
			stmt:  signUp(draftCodes), code: checkViolation, constraint: "campaign_not_active"},
		{name: "activate a campaign that was never published",
			stmt: setStatus(draft, "active"), code: checkViolation, constraint: "campaign_published"},
		{name: "resume an ended campaign",
			setup: []sqlStmt{setStatus(manual, "ended")}, stmt: setStatus(manual, "active"),
			code: checkViolation, constraint: "campaign_status_transition"},
		{name: "send a campaign back to draft",
			stmt: setStatus(manual, "draft"), code: checkViolation, constraint: "campaign_status_transition"},
		{name: "control: claim in the active campaign", stmt: claimPending, rows: 1},
		{name: "control: claim after a pause and a resume",
			setup: []sqlStmt{setStatus(manual, "paused"), setStatus(manual, "active")}, stmt: claimPending, rows: 1},
		{name: "control: sign up with a referrer code in the active campaign", stmt: signUp(codes), rows: 1},
	})
}

// Rule 3: published versions never change; an invitation keeps the version
// it was claimed under unless an admin migrates it (forward only).
func TestSchemaRule3PublishedVersionsFrozen(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var onV1, onV2, done models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "frozen", mode: models.ModeInvitation,
			steps: []string{"step_a", "step_b"}, milestones: []int64{1000}, guestAmount: 500})
		onV1 = mustClaim(t, ctx, mustInvite(t, ctx, "frozen", "alice").Code, "bob")
		publish(t, ctx, campaignSpec{slug: "frozen", mode: models.ModeInvitation,
			steps: []string{"step_a"}, milestones: []int64{2000}, guestAmount: 700})
		onV2 = mustClaim(t, ctx, mustInvite(t, ctx, "frozen", "alice").Code, "carol")
		done = mustClaim(t, ctx, mustInvite(t, ctx, "frozen", "alice").Code, "dave")
		must(t, event(ctx, "dave", "step_a"))
		// Version 3 stays a draft.
		_, _, err := models.SaveCampaignDraft(ctx, "frozen", models.CampaignInput{Name: "frozen", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"step_b"}}})
		must(t, err)
		return nil
	})
	r := newRawDB(t)
	c := r.campaign(tenant, "frozen")
	for _, check := range []struct {
		inv           models.Invitation
		version       int64
		completedWant bool
	}{{onV1, 1, false}, {onV2, 2, false}, {done, 2, true}} {
		v := r.int(tenant, `SELECT version FROM invitations WHERE id = $1`, check.inv.ID)
		completed := r.int(tenant, `SELECT count(*) FROM invitations WHERE id = $1 AND completed_at IS NOT NULL`, check.inv.ID) == 1
		if v != check.version || completed != check.completedWant {
			t.Fatalf("fixture: invitation %s on version %d (completed %v), want %d (%v)", check.inv.ID, v, completed, check.version, check.completedWant)
		}
	}
	frozen := "published_version_immutable"

	r.run(t, tenant, []attack{
		{name: "change a published version's TTL",
			stmt: q(`UPDATE campaign_versions SET invitation_ttl_hours = 1 WHERE campaign_id = $1 AND version = 1`, c),
			code: checkViolation, constraint: frozen},
		{name: "change a published guest reward",
			stmt: q(`UPDATE campaign_versions SET guest_reward_amount = 1000000 WHERE campaign_id = $1 AND version = 2`, c),
			code: checkViolation, constraint: frozen},
		{name: "unpublish a version",
			stmt: q(`UPDATE campaign_versions SET published_at = NULL WHERE campaign_id = $1 AND version = 1`, c),
			code: checkViolation, constraint: frozen},
		{name: "renumber a published version",
			stmt: q(`UPDATE campaign_versions SET version = 9 WHERE campaign_id = $1 AND version = 1`, c),
			code: checkViolation, constraint: frozen},
		{name: "delete a published version",
			stmt: q(`DELETE FROM campaign_versions WHERE campaign_id = $1 AND version = 1`, c),
			code: checkViolation, constraint: frozen},
		{name: "edit a published step",
			stmt: q(`UPDATE campaign_version_steps SET event_name = 'invitation_claimed' WHERE campaign_id = $1 AND version = 2`, c),
			code: checkViolation, constraint: frozen},
		{name: "add a step to a published version",
			stmt: q(`INSERT INTO campaign_version_steps (campaign_id, version, position, event_name) VALUES ($1, 1, 3, 'invitation_claimed')`, c),
			code: checkViolation, constraint: frozen},
		{name: "delete a published step",
			stmt: q(`DELETE FROM campaign_version_steps WHERE campaign_id = $1 AND version = 1 AND position = 2`, c),
			code: checkViolation, constraint: frozen},
		{name: "move a draft step into a published version",
			stmt: q(`UPDATE campaign_version_steps SET version = 1, position = 3 WHERE campaign_id = $1 AND version = 3`, c),
			code: checkViolation, constraint: frozen},
		{name: "move a published step into the draft",
			stmt: q(`UPDATE campaign_version_steps SET version = 3, position = 2 WHERE campaign_id = $1 AND version = 1 AND position = 1`, c),
			code: checkViolation, constraint: frozen},
		{name: "edit a published milestone",
			stmt: q(`UPDATE campaign_version_milestones SET reward_amount = 1 WHERE campaign_id = $1 AND version = 1`, c),
			code: checkViolation, constraint: frozen},
		{name: "add a milestone to a published version",
			stmt: q(`INSERT INTO campaign_version_milestones (campaign_id, version, nth, reward_description, reward_kind, reward_amount, reward_currency)
				VALUES ($1, 1, 2, 'more', 'cash', 100, 'USD')`, c),
			code: checkViolation, constraint: frozen},
		{name: "delete a published milestone",
			stmt: q(`DELETE FROM campaign_version_milestones WHERE campaign_id = $1 AND version = 2`, c),
			code: checkViolation, constraint: frozen},
		{name: "move the campaign back to version 1",
			stmt: q(`UPDATE campaigns SET current_version = 1 WHERE id = $1`, c),
			code: checkViolation, constraint: "campaign_version_forward"},
		{name: "point the campaign at its draft",
			stmt: q(`UPDATE campaigns SET current_version = 3 WHERE id = $1`, c),
			code: checkViolation, constraint: "campaign_version_published"},
		{name: "move an invitation's version backward",
			stmt: q(`UPDATE invitations SET version = 1 WHERE id = $1`, onV2.ID),
			code: checkViolation, constraint: "invitation_version_forward"},
		{name: "take a claimed invitation's version away",
			stmt: q(`UPDATE invitations SET version = NULL WHERE id = $1`, onV2.ID),
			code: checkViolation, constraint: "invitation_version_forward"},
		{name: "migrate an invitation to an unpublished version",
			stmt: q(`UPDATE invitations SET version = 3, progress = 0 WHERE id = $1`, onV1.ID),
			code: checkViolation, constraint: "campaign_version_published"},
		{name: "change a completed invitation's version",
			stmt: q(`UPDATE invitations SET version = 1 WHERE id = $1`, done.ID),
			code: checkViolation, constraint: "invitation_completed"},
		{name: "change a completed invitation's progress",
			stmt: q(`UPDATE invitations SET progress = 0 WHERE id = $1`, done.ID),
			code: checkViolation, constraint: "invitation_completed"},
		{name: "uncomplete an invitation",
			stmt: q(`UPDATE invitations SET completed_at = NULL, completion_number = NULL WHERE id = $1`, done.ID),
			code: checkViolation, constraint: "invitation_completed"},
		{name: "control: edit the draft",
			stmt: q(`UPDATE campaign_versions SET invitation_ttl_hours = 2 WHERE campaign_id = $1 AND version = 3`, c), rows: 1},
		{name: "control: add a step to the draft",
			stmt: q(`INSERT INTO campaign_version_steps (campaign_id, version, position, event_name) VALUES ($1, 3, 2, 'step_a')`, c), rows: 1},
		{name: "control: migrate an invitation forward",
			stmt: q(`UPDATE invitations SET version = 2, progress = quest_progress(campaign_id, 2, guest_id) WHERE id = $1`, onV1.ID), rows: 1},
		// Publishing checks that a version is complete (quest steps 1..n,
		// n >= 1; milestones from 1) when published_at is set by UPDATE; a
		// version INSERTed already published would skip that check and stay a
		// quest of zero steps forever, completing every claim at once.
		{name: "insert a version already published, with no quest",
			stmt: q(`INSERT INTO campaign_versions (campaign_id, version, published_at) VALUES ($1, 4, now())`, c),
			code: checkViolation, constraint: "version_born_draft"},
		{name: "publish a draft without steps",
			setup: []sqlStmt{q(`DELETE FROM campaign_version_steps WHERE campaign_id = $1 AND version = 3`, c)},
			stmt:  q(`UPDATE campaign_versions SET published_at = now() WHERE campaign_id = $1 AND version = 3`, c),
			code:  checkViolation, constraint: "quest_steps_required"},
		{name: "publish a draft whose steps skip a position",
			setup: []sqlStmt{q(`UPDATE campaign_version_steps SET position = 2 WHERE campaign_id = $1 AND version = 3`, c)},
			stmt:  q(`UPDATE campaign_versions SET published_at = now() WHERE campaign_id = $1 AND version = 3`, c),
			code:  checkViolation, constraint: "quest_steps_required"},
		{name: "publish a draft whose milestones start at 2",
			setup: []sqlStmt{q(`INSERT INTO campaign_version_milestones (campaign_id, version, nth, reward_description, reward_kind)
				VALUES ($1, 3, 2, 'second', 'credit')`, c)},
			stmt: q(`UPDATE campaign_versions SET published_at = now() WHERE campaign_id = $1 AND version = 3`, c),
			code: checkViolation, constraint: "milestones_start_at_one"},
		{name: "control: publish the draft",
			stmt: q(`UPDATE campaign_versions SET published_at = now() WHERE campaign_id = $1 AND version = 3`, c), rows: 1},
	})
}

// Rule 4: events (and the audit log) are append-only; an idempotency key is
// stored once per tenant.
func TestSchemaRule4EventsAppendOnly(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "events", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		addParticipants(t, tenant, "bob", "carol")
		_, dup, err := models.IngestEvent(ctx, models.EventInput{Participant: "bob", Name: "signup_complete", IdempotencyKey: "k1"})
		must(t, err)
		if dup {
			t.Fatal("first event reported as a duplicate")
		}
		// models answers a repeat as a duplicate and stores nothing.
		_, dup, err = models.IngestEvent(ctx, models.EventInput{Participant: "bob", Name: "signup_complete", IdempotencyKey: "k1"})
		must(t, err)
		if !dup {
			t.Fatal("repeat not reported as a duplicate")
		}
		return nil
	})
	r := newRawDB(t)
	bob, carol := r.participant(tenant, "bob"), r.participant(tenant, "carol")
	if n := r.int(tenant, `SELECT count(*) FROM events WHERE idempotency_key = 'k1'`); n != 1 {
		t.Fatalf("%d events stored under k1, want 1", n)
	}
	if n := r.int(tenant, `SELECT count(*) FROM audit_log`); n == 0 {
		t.Fatal("fixture: empty audit log")
	}
	newEvent := `INSERT INTO events (participant_id, name, idempotency_key) VALUES ($1, $2, $3)`

	attacks := []attack{
		{name: "store an idempotency key twice",
			stmt: q(newEvent, bob, "signup_complete", "k1"),
			code: uniqueViolation, constraint: "event_idempotency_key_once"},
		{name: "reuse an idempotency key for another participant",
			stmt: q(newEvent, carol, "signup_complete", "k1"),
			code: uniqueViolation, constraint: "event_idempotency_key_once"},
		{name: "record an undefined event",
			stmt: q(newEvent, bob, "no_such_event", nil),
			code: foreignKeyViolation, constraint: "event_defined"},
		// The foreign keys are one check per statement (00032): one bad row
		// fails the whole statement, whichever row it is.
		{name: "record an undefined event among defined ones",
			stmt: q(`INSERT INTO events (participant_id, name) VALUES ($1, 'signup_complete'), ($1, 'no_such_event'), ($1, 'signup_complete')`, bob),
			code: foreignKeyViolation, constraint: "event_defined"},
		{name: "record an event of an unknown participant",
			stmt: q(`INSERT INTO events (participant_id, name) VALUES ($1, 'signup_complete'), ('par_nobody', 'signup_complete')`, bob),
			code: foreignKeyViolation, constraint: "events_tenant_id_participant_id_fkey"},
		// What an event names is kept, even against the owner: the
		// participant and the definition its (participant, name) pair
		// points at cannot go away or change their keys.
		{name: "delete a participant with events as owner", owner: true,
			stmt: q(`DELETE FROM participants WHERE tenant_id = $1 AND id = $2`, tenant.String(), bob),
			code: foreignKeyViolation, constraint: "events_tenant_id_participant_id_fkey"},
		{name: "change the id of a participant with events as owner", owner: true,
			stmt: q(`UPDATE participants SET id = 'par_other' WHERE tenant_id = $1 AND id = $2`, tenant.String(), bob),
			code: foreignKeyViolation, constraint: "events_tenant_id_participant_id_fkey"},
		{name: "truncate participants as owner", owner: true,
			stmt: q(`TRUNCATE participants CASCADE`), code: checkViolation, constraint: "append_only"},
		// page_view is named by an event and by no quest step, so only the
		// events' rule holds it.
		{name: "delete a definition that events use as owner", owner: true,
			setup: []sqlStmt{q(`INSERT INTO event_definitions (tenant_id, name) VALUES ($1, 'page_view')`, tenant.String()),
				q(`INSERT INTO events (tenant_id, participant_id, name) VALUES ($1, $2, 'page_view')`, tenant.String(), bob)},
			stmt: q(`DELETE FROM event_definitions WHERE tenant_id = $1 AND name = 'page_view'`, tenant.String()),
			code: foreignKeyViolation, constraint: "event_defined"},
		{name: "rename a definition that events use as owner", owner: true,
			setup: []sqlStmt{q(`INSERT INTO event_definitions (tenant_id, name) VALUES ($1, 'page_view')`, tenant.String()),
				q(`INSERT INTO events (tenant_id, participant_id, name) VALUES ($1, $2, 'page_view')`, tenant.String(), bob)},
			stmt: q(`UPDATE event_definitions SET name = 'screen_view' WHERE tenant_id = $1 AND name = 'page_view'`, tenant.String()),
			code: foreignKeyViolation, constraint: "event_defined"},
		{name: "truncate event definitions as owner", owner: true,
			stmt: q(`TRUNCATE event_definitions CASCADE`), code: checkViolation, constraint: "append_only"},
		// The names each participant has sent (judging's index) only grow,
		// and never by the reserved name from tandem_app.
		{name: "record the claim's name for a participant",
			stmt: q(`INSERT INTO participant_event_names (participant_id, name) VALUES ($1, 'invitation_claimed')`, carol),
			code: insufficientPriv, msg: `policy "participant_event_names_not_reserved"`},
		{name: "take back a participant's name as owner", owner: true,
			stmt: q(`DELETE FROM participant_event_names WHERE tenant_id = $1 AND participant_id = $2`, tenant.String(), bob),
			code: checkViolation, constraint: "append_only"},
		{name: "rename a participant's name as owner", owner: true,
			stmt: q(`UPDATE participant_event_names SET name = 'purchase_complete' WHERE tenant_id = $1 AND participant_id = $2`, tenant.String(), bob),
			code: checkViolation, constraint: "append_only"},
		{name: "truncate participants' names as owner", owner: true,
			stmt: q(`TRUNCATE participant_event_names`), code: checkViolation, constraint: "append_only"},
		{name: "control: the owner edits a participant's name", owner: true,
			stmt: q(`UPDATE participants SET display_name = 'Carol' WHERE tenant_id = $1 AND id = $2`, tenant.String(), carol), rows: 1},
		{name: "control: a new key is stored", stmt: q(newEvent, bob, "signup_complete", "k2"), rows: 1},
		{name: "control: events without a key repeat freely",
			setup: []sqlStmt{q(newEvent, bob, "signup_complete", nil)},
			stmt:  q(newEvent, bob, "signup_complete", nil), rows: 1},
	}
	// tandem_app lacks the privilege; behind it, the owner meets the trigger.
	for _, table := range []struct{ name, set string }{{"events", "name = name"}, {"audit_log", "action = action"}} {
		for _, as := range []struct {
			who              string
			owner            bool
			code, constraint string
		}{{"as tandem_app", false, insufficientPriv, ""}, {"as owner", true, checkViolation, "append_only"}} {
			attacks = append(attacks,
				attack{name: "update " + table.name + " " + as.who, owner: as.owner,
					stmt: q(`UPDATE `+table.name+` SET `+table.set+` WHERE tenant_id = $1`, tenant.String()),
					code: as.code, constraint: as.constraint},
				attack{name: "delete from " + table.name + " " + as.who, owner: as.owner,
					stmt: q(`DELETE FROM `+table.name+` WHERE tenant_id = $1`, tenant.String()),
					code: as.code, constraint: as.constraint},
				attack{name: "truncate " + table.name + " " + as.who, owner: as.owner,
					stmt: q(`TRUNCATE ` + table.name),
					code: as.code, constraint: as.constraint},
			)
		}
	}
	r.run(t, tenant, attacks)
	// What judging reads is what the events say: one pair for each name a
	// participant has sent, and no other.
	if n := r.int(tenant, `SELECT count(*) FROM (
		(SELECT participant_id, name FROM participant_event_names EXCEPT SELECT participant_id, name FROM events)
		UNION ALL
		(SELECT participant_id, name FROM events EXCEPT SELECT participant_id, name FROM participant_event_names)) d`); n != 0 {
		t.Errorf("%d pairs differ between participant_event_names and events", n)
	}
	if n := r.int(tenant, `SELECT count(*) FROM participant_event_names WHERE participant_id = $1 AND name = 'signup_complete'`, bob); n != 1 {
		t.Errorf("bob's signup_complete is recorded %d times among his names, want 1", n)
	}
}

// Two transactions bringing the same new (participant, name) pair record it
// once, whichever way the first ends: the second's trigger does not see
// the first's uncommitted pair, so its insert waits for the first and then
// skips the pair (first committed) or records it (first rolled back).
func TestConcurrentNewPairRecordedOnce(t *testing.T) {
	for _, firstCommits := range []bool{true, false} {
		tenant := env.NewTenant(t, "").TenantID
		env.InTenant(t, tenant, func(ctx context.Context) error {
			_, _, err := models.DefineEvent(ctx, "page_view", "")
			return err
		})
		addParticipants(t, tenant, "bob")
		r := newRawDB(t)
		bob := r.participant(tenant, "bob")
		ctx := context.Background()
		const insert = `INSERT INTO events (participant_id, name) VALUES ($1, 'page_view')`
		first := appTx(t, r.owner, tenant)
		_, err := first.Exec(ctx, insert, bob)
		must(t, err)
		second := appTx(t, r.app, tenant)
		done := make(chan error, 1)
		go func() {
			_, err := second.Exec(ctx, insert, bob)
			done <- errors.Join(err, second.Commit(ctx))
		}()
		dbtest.WaitFor(t, func() bool {
			var waiting int
			must(t, env.Owner.Raw(`SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted`).Scan(&waiting).Error)
			return waiting == 1
		}, "the second transaction to wait for the first's pair")
		if firstCommits {
			must(t, first.Commit(ctx))
		} else {
			must(t, first.Rollback(ctx))
		}
		must(t, <-done)
		events := 1
		if firstCommits {
			events = 2
		}
		if n := r.int(tenant, `SELECT count(*) FROM events WHERE participant_id = $1`, bob); n != int64(events) {
			t.Errorf("first commits %v: %d events, want %d", firstCommits, n, events)
		}
		if n := r.int(tenant, `SELECT count(*) FROM participant_event_names WHERE participant_id = $1`, bob); n != 1 {
			t.Errorf("first commits %v: bob's page_view recorded %d times, want once", firstCommits, n)
		}
	}
}

// Rule 5: progress is a pure function of (version steps, the guest's
// events): any order, duplicated or not, gives the same progress, and an
// early event for a later step counts when its turn comes.
func TestSchemaRule5ProgressIsPure(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	const a, b, c = "step_a", "step_b", "step_c"
	cases := []struct {
		name   string
		events []string
		want   int
	}{
		{"in order", []string{a, b, c}, 3},
		{"reversed", []string{c, b, a}, 3},
		{"middle first", []string{b, a, c}, 3},
		{"middle last", []string{a, c, b}, 3},
		{"last first", []string{c, a, b}, 3},
		{"rotated", []string{b, c, a}, 3},
		{"duplicated", []string{a, a, c, b, c, a}, 3},
		{"duplicated reversed", []string{c, c, b, b, a, a}, 3},
		{"later steps only", []string{c, b}, 0},
		{"a gap", []string{a, c}, 1},
		{"a gap reversed", []string{c, a}, 1},
		{"two of three", []string{b, a, b}, 2},
		{"none", nil, 0},
	}
	var campaignID string
	var version int
	env.InTenant(t, tenant, func(ctx context.Context) error {
		pub := publish(t, ctx, campaignSpec{slug: "pure", mode: models.ModeInvitation, steps: []string{a, b, c}, milestones: []int64{100}})
		campaignID, version = pub.Campaign.ID, pub.Version.Number
		for _, tc := range cases {
			for _, mode := range []string{"one", "batch"} {
				mustClaim(t, ctx, mustInvite(t, ctx, "pure", "host").Code, guestOf(mode, tc.name))
			}
		}
		return nil
	})
	for _, tc := range cases {
		// One event per transaction, in arrival order ...
		for _, name := range tc.events {
			env.InTenant(t, tenant, func(ctx context.Context) error { return event(ctx, guestOf("one", tc.name), name) })
		}
		// ... and the same events in one batch, in reverse.
		batch := []models.EventInput{}
		for _, name := range slices.Backward(tc.events) {
			batch = append(batch, models.EventInput{Participant: guestOf("batch", tc.name), Name: name})
		}
		env.InTenant(t, tenant, func(ctx context.Context) error { _, err := models.IngestEvents(ctx, batch); return err })
	}
	r := newRawDB(t)
	for _, tc := range cases {
		for _, mode := range []string{"one", "batch"} {
			guest := r.participant(tenant, guestOf(mode, tc.name))
			pure := r.int(tenant, `SELECT quest_progress($1, $2, $3)`, campaignID, version, guest)
			cached := r.int(tenant, `SELECT progress FROM invitations WHERE guest_id = $1`, guest)
			completed := r.int(tenant, `SELECT count(*) FROM invitations WHERE guest_id = $1 AND completed_at IS NOT NULL`, guest)
			if pure != int64(tc.want) || cached != int64(tc.want) || (completed == 1) != (tc.want == 3) {
				t.Errorf("%s (%s): quest_progress %d, invitation progress %d, completed %d; want %d",
					tc.name, mode, pure, cached, completed, tc.want)
			}
		}
	}
	// The early step_c of "a gap" counts once step_b arrives.
	env.InTenant(t, tenant, func(ctx context.Context) error { return event(ctx, guestOf("one", "a gap"), b) })
	if n := r.int(tenant, `SELECT progress FROM invitations WHERE guest_id = $1 AND completed_at IS NOT NULL`,
		r.participant(tenant, guestOf("one", "a gap"))); n != 3 {
		t.Fatalf("after the missing step: progress %d, want 3 and completed", n)
	}

	none := r.str(tenant, `SELECT id FROM invitations WHERE guest_id = $1`, r.participant(tenant, guestOf("one", "none")))
	two := r.str(tenant, `SELECT id FROM invitations WHERE guest_id = $1`, r.participant(tenant, guestOf("one", "two of three")))
	r.run(t, tenant, []attack{
		{name: "progress beyond the quest",
			stmt: q(`UPDATE invitations SET progress = 4 WHERE id = $1`, none),
			code: checkViolation, constraint: "progress_derived"},
		{name: "complete an unfinished quest",
			stmt: q(`UPDATE invitations SET completed_at = now() WHERE id = $1`, two),
			code: checkViolation, constraint: "quest_not_complete"},
		{name: "control: re-judging from the events is allowed",
			stmt: q(`UPDATE invitations SET progress = quest_progress(campaign_id, version, guest_id) WHERE id = $1`, two), rows: 1},
		// The stored progress is a cache of quest_progress(): writing any other
		// value (and so completing a quest the guest never did, which would
		// issue its rewards) is refused.
		{name: "forge progress the events do not support",
			stmt: q(`UPDATE invitations SET progress = 2 WHERE id = $1`, none),
			code: checkViolation, constraint: "progress_derived"},
		{name: "forge a completion the events do not support",
			stmt: q(`UPDATE invitations SET progress = 3, completed_at = now() WHERE id = $1`, none),
			code: checkViolation, constraint: "progress_derived"},
		{name: "hide progress the events show",
			stmt: q(`UPDATE invitations SET progress = 0 WHERE id = $1`, two),
			code: checkViolation, constraint: "progress_derived"},
	})
}

// guestOf names the guest of a progress case: external ids have no spaces.
func guestOf(mode, name string) string { return mode + "/" + strings.ReplaceAll(name, " ", "-") }

// Rule 6: each reward is issued exactly once; the host's Nth completion
// earns milestone N, under any concurrency.
func TestSchemaRule6RewardsIssuedOnce(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var first, second, open, pending models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "once", mode: models.ModeInvitation, steps: []string{"signup_complete"},
			milestones: []int64{1000, 2000}, guestAmount: 500})
		first = mustClaim(t, ctx, mustInvite(t, ctx, "once", "alice").Code, "bob")
		second = mustClaim(t, ctx, mustInvite(t, ctx, "once", "alice").Code, "carol")
		open = mustClaim(t, ctx, mustInvite(t, ctx, "once", "alice").Code, "dave")
		pending = mustInvite(t, ctx, "once", "alice")
		must(t, event(ctx, "bob", "signup_complete"))
		must(t, event(ctx, "carol", "signup_complete"))
		addParticipants(t, tenant, "erin")
		return nil
	})
	r := newRawDB(t)
	c := r.campaign(tenant, "once")
	alice, erin := r.participant(tenant, "alice"), r.participant(tenant, "erin")
	if n := r.int(tenant, `SELECT count(*) FROM reward_tokens`); n != 4 {
		t.Fatalf("fixture: %d reward tokens, want 2 guest + 2 host", n)
	}
	// A token that is not, to the letter, one earned_rewards() of its
	// invitation says it earned is refused before any other check.
	newReward := `INSERT INTO reward_tokens (participant_id, campaign_id, invitation_id, reason, milestone, description, kind, quantity, amount, currency)
		VALUES ($1, $2, $3, $4, $5, 'forged', 'cash', 1, 100, 'USD')`
	// The exact reward an invitation earned, issued again: it passes the
	// earned-reward guard and meets the unique indexes.
	reissue := func(invitation, reason string) sqlStmt {
		return q(`INSERT INTO reward_tokens (participant_id, campaign_id, invitation_id, reason, milestone, description, kind, quantity, amount, currency)
			SELECT e.participant_id, e.campaign_id, $1, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency
			FROM earned_rewards($1) e WHERE e.reason = $2`, invitation, reason)
	}
	earnedAs := func(invitation, reason, change string) sqlStmt {
		return q(`INSERT INTO reward_tokens (participant_id, campaign_id, invitation_id, reason, milestone, description, kind, quantity, amount, currency)
			SELECT e.participant_id, e.campaign_id, $1, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency
			FROM (SELECT `+change+` FROM earned_rewards($1) e0) e WHERE e.reason = $2`, invitation, reason)
	}
	bump := func(by string) sqlStmt {
		return q(`UPDATE host_completions SET completed = completed `+by+` WHERE campaign_id = $1 AND host_id = $2`, c, alice)
	}
	notEarned := "reward_not_earned"

	r.run(t, tenant, []attack{
		{name: "a second guest reward for an invitation",
			stmt: reissue(first.ID, "guest"), code: uniqueViolation, constraint: "reward_tokens_one_guest_reward"},
		{name: "a second host reward for a milestone",
			stmt: reissue(second.ID, "host_milestone"), code: uniqueViolation, constraint: "reward_tokens_one_host_milestone"},
		{name: "a second host reward for a milestone, with the token's status preset",
			stmt: q(`INSERT INTO reward_tokens (participant_id, campaign_id, invitation_id, reason, milestone, description, kind, quantity, amount, currency, status, status_changed_at)
				SELECT e.participant_id, e.campaign_id, $1, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency, 'voided', now()
				FROM earned_rewards($1) e WHERE e.reason = 'host_milestone'`, first.ID),
			code: uniqueViolation, constraint: "reward_tokens_one_host_milestone"},
		{name: "a guest reward for an invitation that never completed",
			stmt: q(newReward, erin, c, pending.ID, "guest", nil), code: checkViolation, constraint: notEarned},
		{name: "a guest reward for a claimed, unfinished invitation",
			stmt: q(newReward, r.participant(tenant, "dave"), c, open.ID, "guest", nil), code: checkViolation, constraint: notEarned},
		{name: "a host reward for a milestone never reached",
			stmt: q(newReward, alice, c, second.ID, "host_milestone", 7), code: checkViolation, constraint: notEarned},
		{name: "a host reward without a milestone",
			stmt: q(newReward, alice, c, second.ID, "host_milestone", nil), code: checkViolation, constraint: notEarned},
		{name: "the earned guest reward, paid to someone else",
			stmt: earnedAs(first.ID, "guest", "'"+erin+"' AS participant_id, e0.campaign_id, e0.reason, e0.milestone, e0.description, e0.kind, e0.quantity, e0.amount, e0.currency"),
			code: checkViolation, constraint: notEarned},
		{name: "the earned host reward, with a bigger amount",
			stmt: earnedAs(second.ID, "host_milestone", "e0.participant_id, e0.campaign_id, e0.reason, e0.milestone, e0.description, e0.kind, e0.quantity, e0.amount * 10 AS amount, e0.currency"),
			code: checkViolation, constraint: notEarned},
		{name: "the earned host reward, under another milestone",
			stmt: earnedAs(second.ID, "host_milestone", "e0.participant_id, e0.campaign_id, e0.reason, e0.milestone + 1 AS milestone, e0.description, e0.kind, e0.quantity, e0.amount, e0.currency"),
			code: checkViolation, constraint: notEarned},
		{name: "complete an invitation again",
			stmt: q(`UPDATE invitations SET completed_at = now() WHERE id = $1`, first.ID),
			code: checkViolation, constraint: "invitation_completed"},
		{name: "number a completion by hand",
			stmt: q(`UPDATE invitations SET completion_number = 3 WHERE id = $1`, open.ID),
			code: checkViolation, constraint: "completion_number_once"},
		// The app role cannot write the counter at all: it moves only inside
		// a completion (invitations_before_update, run as tandem_referee).
		{name: "the app counts a completion that never happened",
			stmt: bump("+ 1"), code: insufficientPriv, msg: "permission denied for table host_completions"},
		{name: "the app starts a host's counter",
			stmt: q(`INSERT INTO host_completions (campaign_id, host_id, completed) VALUES ($1, $2, 1)`, c, erin),
			code: insufficientPriv, msg: "permission denied for table host_completions"},
		// Behind that, the counter's own guard, met as the role that may write it.
		{name: "host completion counter jumps by two", setup: asReferee, owner: true,
			stmt: bump("+ 2"), code: checkViolation, constraint: "host_completions_count_up"},
		{name: "host completion counter goes down", setup: asReferee, owner: true,
			stmt: bump("- 1"), code: checkViolation, constraint: "host_completions_count_up"},
		{name: "host completion counter moves to another host", setup: asReferee, owner: true,
			stmt: q(`UPDATE host_completions SET host_id = $1, completed = completed + 1 WHERE campaign_id = $2`, erin, c),
			code: checkViolation, constraint: "host_completions_count_up"},
		{name: "start a host's completion counter above one", setup: asReferee, owner: true,
			stmt: q(`INSERT INTO host_completions (campaign_id, host_id, completed) VALUES ($1, $2, 5)`, c, erin),
			code: checkViolation, constraint: "host_completions_count_up"},
		{name: "control: the counter counts up by one", setup: asReferee, owner: true, stmt: bump("+ 1"), rows: 1},
		{name: "control: a new counter starts at one", setup: asReferee, owner: true,
			stmt: q(`INSERT INTO host_completions (campaign_id, host_id, completed) VALUES ($1, $2, 1)`, c, erin), rows: 1},
	})

	t.Run("many guests of one host complete at once", func(t *testing.T) {
		const n = 8
		env.InTenant(t, tenant, func(ctx context.Context) error {
			publish(t, ctx, campaignSpec{slug: "rush", mode: models.ModeInvitation, steps: []string{"purchase_complete"},
				milestones: []int64{100, 200}, repeatLast: true, guestAmount: 50})
			for i := range n {
				mustClaim(t, ctx, mustInvite(t, ctx, "rush", "rush-host").Code, fmt.Sprintf("rush-guest%d", i))
			}
			return nil
		})
		errs := runConcurrently(n, func(i int) error {
			return env.TryInTenant(tenant, func(ctx context.Context) error {
				return event(ctx, fmt.Sprintf("rush-guest%d", i), "purchase_complete")
			})
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("guest %d: %v", i, err)
			}
		}
		rush, host := r.campaign(tenant, "rush"), r.participant(tenant, "rush-host")
		var numbers, milestones, amounts []int64
		r.scan(tenant, q(`SELECT array_agg(completion_number ORDER BY completion_number) FROM invitations WHERE campaign_id = $1`, rush), &numbers)
		r.scan(tenant, q(`SELECT array_agg(milestone ORDER BY milestone), array_agg(amount ORDER BY milestone)
			FROM reward_tokens WHERE campaign_id = $1 AND participant_id = $2`, rush, host), &milestones, &amounts)
		want := []int64{1, 2, 3, 4, 5, 6, 7, 8}
		if !slices.Equal(numbers, want) || !slices.Equal(milestones, want) {
			t.Fatalf("completion numbers %v, host milestones %v; want %v each", numbers, milestones, want)
		}
		if !slices.Equal(amounts, []int64{100, 200, 200, 200, 200, 200, 200, 200}) {
			t.Fatalf("host amounts %v: want row 1, then the repeated last row", amounts)
		}
		if g := r.int(tenant, `SELECT count(*) FROM reward_tokens WHERE campaign_id = $1 AND reason = 'guest'`, rush); g != n {
			t.Fatalf("%d guest rewards, want %d", g, n)
		}
		if h := r.int(tenant, `SELECT completed FROM host_completions WHERE campaign_id = $1 AND host_id = $2`, rush, host); h != n {
			t.Fatalf("host counter %d, want %d", h, n)
		}
	})
}

// Rule 7: a reward token moves only issued → redeemed | voided | expired;
// a settled token never changes again, and its snapshot never changes.
func TestSchemaRule7RewardStatus(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var raffle models.Raffle
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "status", mode: models.ModeInvitation, steps: []string{"signup_complete"},
			milestones: []int64{1000, 2000}, guestAmount: 500})
		for _, guest := range []string{"bob", "carol"} {
			mustClaim(t, ctx, mustInvite(t, ctx, "status", "alice").Code, guest)
			must(t, event(ctx, guest, "signup_complete"))
		}
		hostRewards, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
		must(t, err)
		bobRewards, _, err := models.ListParticipantRewards(ctx, "bob", models.Page{})
		must(t, err)
		_, err = models.RedeemReward(ctx, hostRewards[0].ID)
		must(t, err)
		_, err = models.VoidReward(ctx, bobRewards[0].ID)
		must(t, err)
		// Tickets, drawn.
		_, _, err = models.SaveCampaignDraft(ctx, "tickets", models.CampaignInput{Name: "tickets", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"signup_complete"},
				Milestones: []models.Milestone{{Count: 1, Reward: models.Reward{Description: "a ticket", Kind: "ticket", Quantity: 3}}}}})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "tickets", models.InflightKeep)
		must(t, err)
		mustClaim(t, ctx, mustInvite(t, ctx, "tickets", "alice").Code, "dave")
		must(t, event(ctx, "dave", "signup_complete"))
		// Two winners asked for, one entrant: place 2 stays free.
		raffle, err = models.DrawRaffle(ctx, "tickets", 2)
		must(t, err)
		return nil
	})
	r := newRawDB(t)
	byStatus := func(status string) string {
		return r.str(tenant, `SELECT id FROM reward_tokens WHERE status = $1 AND raffle_draw_id IS NULL ORDER BY id LIMIT 1`, status)
	}
	redeemed, voided, issued := byStatus("redeemed"), byStatus("voided"), byStatus("issued")
	ticket := r.str(tenant, `SELECT id FROM reward_tokens WHERE raffle_draw_id = $1`, raffle.ID)
	set := func(id, assignments string) sqlStmt {
		return q(`UPDATE reward_tokens SET `+assignments+` WHERE id = $1`, id)
	}
	settled := "reward_status_transition"

	r.run(t, tenant, []attack{
		{name: "void a redeemed token", stmt: set(redeemed, "status = 'voided'"), code: checkViolation, constraint: settled},
		{name: "expire a redeemed token", stmt: set(redeemed, "status = 'expired'"), code: checkViolation, constraint: settled},
		{name: "re-issue a redeemed token",
			stmt: set(redeemed, "status = 'issued', status_changed_at = NULL"), code: checkViolation, constraint: settled},
		{name: "re-issue a voided token",
			stmt: set(voided, "status = 'issued', status_changed_at = NULL"), code: checkViolation, constraint: settled},
		{name: "redeem a voided token", stmt: set(voided, "status = 'redeemed'"), code: checkViolation, constraint: settled},
		{name: "redeemed stays redeemed but with a new time",
			stmt: set(redeemed, "status = 'redeemed', status_changed_at = now() + interval '1 day'"), code: checkViolation, constraint: settled},
		{name: "take a raffled ticket out of its draw",
			stmt: set(ticket, "raffle_draw_id = NULL"), code: checkViolation, constraint: settled},
		{name: "un-redeem a raffled ticket",
			stmt: set(ticket, "status = 'issued', status_changed_at = NULL, raffle_draw_id = NULL"), code: checkViolation, constraint: settled},
		{name: "settle a token without a time",
			stmt: set(issued, "status = 'redeemed'"), code: checkViolation, constraint: "reward_status_time"},
		{name: "attach a token that is no ticket to a raffle",
			stmt: set(issued, "raffle_draw_id = '"+raffle.ID+"'"), code: checkViolation, constraint: "reward_raffle_ticket"},
		{name: "change a token's amount as tandem_app",
			stmt: set(issued, "amount = amount + 1"), code: insufficientPriv},
		{name: "change a token's amount as owner", owner: true,
			stmt: set(issued, "amount = amount + 1"), code: checkViolation, constraint: "reward_never_revoked"},
		{name: "give a token to someone else as owner", owner: true,
			stmt: set(issued, "participant_id = '"+r.participant(tenant, "dave")+"'"),
			code: checkViolation, constraint: "reward_never_revoked"},
		{name: "void a redeemed token as owner", owner: true,
			stmt: set(redeemed, "status = 'voided'"), code: checkViolation, constraint: settled},
		{name: "delete a token as tandem_app",
			stmt: q(`DELETE FROM reward_tokens WHERE id = $1`, issued), code: insufficientPriv},
		{name: "delete a token as owner", owner: true,
			stmt: q(`DELETE FROM reward_tokens WHERE id = $1`, issued), code: checkViolation, constraint: "reward_never_revoked"},
		// CASCADE: reward_fulfilments refers to the tokens; the trigger still refuses.
		{name: "truncate tokens as owner", owner: true,
			stmt: q(`TRUNCATE reward_tokens CASCADE`), code: checkViolation, constraint: "append_only"},
		{name: "rewrite a raffle draw as owner", owner: true,
			stmt: q(`UPDATE raffle_draws SET winners = 2 WHERE id = $1`, raffle.ID), code: checkViolation, constraint: "append_only"},
		{name: "rewrite raffle entries as owner", owner: true,
			stmt: q(`UPDATE raffle_entries SET tickets = tickets + 1 WHERE draw_id = $1`, raffle.ID), code: checkViolation, constraint: "append_only"},
		{name: "delete raffle winners as owner", owner: true,
			stmt: q(`DELETE FROM raffle_winners WHERE draw_id = $1`, raffle.ID), code: checkViolation, constraint: "append_only"},
		{name: "a raffle winner without an entry",
			stmt: q(`INSERT INTO raffle_winners (draw_id, place, participant_id) VALUES ($1, 2, (SELECT id FROM participants WHERE external_id = 'bob'))`, raffle.ID),
			code: foreignKeyViolation, constraint: "raffle_winners_tenant_id_draw_id_participant_id_fkey"},
		{name: "more winners than the draw asked for",
			stmt: q(`INSERT INTO raffle_winners (draw_id, place, participant_id) VALUES ($1, 3, (SELECT id FROM participants WHERE external_id = 'alice'))`, raffle.ID),
			code: checkViolation, constraint: "raffle_winners_within_draw"},
		{name: "control: redeem an issued token", stmt: set(issued, "status = 'redeemed', status_changed_at = now()"), rows: 1},
		{name: "control: expire an issued token", stmt: set(issued, "status = 'expired', status_changed_at = now()"), rows: 1},
	})
}

// Rule 8: money is integer minor units plus an ISO currency code, both or
// neither, on tokens and on the rewards of a version.
func TestSchemaRule8Money(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var inv models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "money", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		inv = mustClaim(t, ctx, mustInvite(t, ctx, "money", "alice").Code, "bob")
		// A draft with a complete guest reward, for the version checks.
		a := int64(500)
		_, _, err := models.SaveCampaignDraft(ctx, "money", models.CampaignInput{Name: "money", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"signup_complete"},
				GuestReward: &models.Reward{Description: "credit", Kind: "credit", Amount: &a, Currency: "USD"}}})
		must(t, err)
		return nil
	})
	r := newRawDB(t)
	c, alice := r.campaign(tenant, "money"), r.participant(tenant, "alice")
	// tandem_app can only issue a token that earned_rewards() vouches for
	// (rule 6), so the CHECKs of reward_tokens are reached here as the owner
	// with session_replication_role = replica, which silences that trigger
	// (and the foreign keys) but not the CHECKs: the backstop itself.
	token := func(milestone int, amount any, currency any) sqlStmt {
		return q(`INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone, description, kind, quantity, amount, currency)
			VALUES ($1, $2, $3, $4, 'host_milestone', $5, 'cash', 'cash', 1, $6, $7)`, tenant.String(), alice, c, inv.ID, milestone, amount, currency)
	}
	replica := []sqlStmt{q(`SET LOCAL session_replication_role = replica`)}
	draft := func(assignments string) sqlStmt {
		return q(`UPDATE campaign_versions SET `+assignments+` WHERE campaign_id = $1 AND version = 2`, c)
	}
	milestone := func(amount, currency any) sqlStmt {
		return q(`INSERT INTO campaign_version_milestones (campaign_id, version, nth, reward_description, reward_kind, reward_amount, reward_currency)
			VALUES ($1, 2, 1, 'cash', 'cash', $2, $3)`, c, amount, currency)
	}

	r.run(t, tenant, []attack{
		{owner: true, setup: replica, name: "token: amount without currency", stmt: token(11, 100, nil), code: checkViolation, constraint: "reward_money"},
		{owner: true, setup: replica, name: "token: currency without amount", stmt: token(12, nil, "USD"), code: checkViolation, constraint: "reward_money"},
		{owner: true, setup: replica, name: "token: lowercase currency", stmt: token(13, 100, "usd"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: two-letter currency", stmt: token(14, 100, "US"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: four-letter currency", stmt: token(15, 100, "USDT"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: currency symbol", stmt: token(16, 100, "$"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: negative amount", stmt: token(17, -100, "USD"), code: checkViolation, constraint: "reward_tokens_amount_check"},
		{name: "guest reward: amount without currency",
			stmt: draft("guest_reward_currency = NULL"), code: checkViolation, constraint: "guest_reward_money"},
		{name: "guest reward: currency without amount",
			stmt: draft("guest_reward_amount = NULL"), code: checkViolation, constraint: "guest_reward_money"},
		{name: "guest reward: bad currency",
			stmt: draft("guest_reward_currency = 'usd'"), code: checkViolation, constraint: "campaign_versions_guest_reward_currency_check"},
		{name: "guest reward: negative amount",
			stmt: draft("guest_reward_amount = -1"), code: checkViolation, constraint: "campaign_versions_guest_reward_amount_check"},
		{name: "guest reward: money without a reward",
			stmt: draft("guest_reward_description = NULL, guest_reward_kind = NULL, guest_reward_quantity = NULL"),
			code: checkViolation, constraint: "guest_reward_complete"},
		{name: "milestone: amount without currency", stmt: milestone(100, nil), code: checkViolation, constraint: "milestone_reward_money"},
		{name: "milestone: currency without amount", stmt: milestone(nil, "EUR"), code: checkViolation, constraint: "milestone_reward_money"},
		{name: "milestone: bad currency", stmt: milestone(100, "eur"), code: checkViolation, constraint: "campaign_version_milestones_reward_currency_check"},
		{name: "milestone: negative amount", stmt: milestone(-5, "EUR"), code: checkViolation, constraint: "campaign_version_milestones_reward_amount_check"},
		{owner: true, setup: replica, name: "control: token with amount and currency", stmt: token(18, 100, "EUR"), rows: 1},
		{owner: true, setup: replica, name: "control: token without money", stmt: token(19, nil, nil), rows: 1},
		{name: "token as tandem_app: refused as unearned before any CHECK", stmt: token(20, 100, "usd"),
			code: checkViolation, constraint: "reward_not_earned"},
		{name: "control: milestone with amount and currency", stmt: milestone(100, "JPY"), rows: 1},
	})
}

// Rule 9: configuration changes never take back issued rewards: publishing
// new versions (keep or migrate), pausing and ending leave every token, and
// every completed invitation, exactly as it was.
func TestSchemaRule9ConfigKeepsRewards(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var inflight models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "nine", mode: models.ModeInvitation, steps: []string{"signup_complete"},
			milestones: []int64{1000, 2000}, guestAmount: 500})
		for _, guest := range []string{"bob", "carol"} {
			mustClaim(t, ctx, mustInvite(t, ctx, "nine", "alice").Code, guest)
			must(t, event(ctx, guest, "signup_complete"))
		}
		inflight = mustClaim(t, ctx, mustInvite(t, ctx, "nine", "alice").Code, "dave")
		rs, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
		must(t, err)
		_, err = models.RedeemReward(ctx, rs[0].ID)
		return err
	})
	r := newRawDB(t)
	snapshot := func() (tokens, completed string, count int64) {
		r.scan(tenant, q(`SELECT jsonb_agg(to_jsonb(r) ORDER BY r.id)::text, count(*) FROM reward_tokens r`), &tokens, &count)
		r.scan(tenant, q(`SELECT jsonb_agg(jsonb_build_array(id, version, progress, completed_at, completion_number) ORDER BY id)::text
			FROM invitations WHERE completed_at IS NOT NULL`), &completed)
		return tokens, completed, count
	}
	tokens, completed, count := snapshot()
	if count != 4 {
		t.Fatalf("fixture: %d tokens, want 4", count)
	}
	steps := []string{"signup_complete", "purchase_complete"}
	status := func(action string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := models.ChangeCampaignStatus(ctx, "nine", action)
			return err
		}
	}
	changes := []struct {
		name string
		fn   func(ctx context.Context) error
	}{
		{"publish a new version, keep in-flight", func(ctx context.Context) error {
			publish(t, ctx, campaignSpec{slug: "nine", mode: models.ModeInvitation, steps: steps, milestones: []int64{1}, guestAmount: 1})
			return nil
		}},
		{"publish a new version, migrate in-flight", func(ctx context.Context) error {
			// dave has done the first step of the new quest: migrating advances
			// the invitation but does not complete it.
			must(t, event(ctx, "dave", "purchase_complete"))
			_, _, err := models.SaveCampaignDraft(ctx, "nine", models.CampaignInput{Name: "nine", Mode: models.ModeInvitation,
				Rules: models.Rules{Steps: []string{"purchase_complete", "signup_complete"}}})
			must(t, err)
			_, err = models.PublishCampaign(ctx, "nine", models.InflightMigrate)
			return err
		}},
		{"pause", status(models.ActionPause)},
		{"resume", status(models.ActionResume)},
		{"end", status(models.ActionEnd)},
	}
	for _, ch := range changes {
		env.InTenant(t, tenant, ch.fn)
		gotTokens, gotCompleted, gotCount := snapshot()
		if gotCount != count || gotTokens != tokens || gotCompleted != completed {
			t.Fatalf("after %q:\ntokens %d %s\nwant   %d %s\ncompleted %s\nwant      %s",
				ch.name, gotCount, gotTokens, count, tokens, gotCompleted, completed)
		}
	}
	var v, progress int64
	r.scan(tenant, q(`SELECT version, progress FROM invitations WHERE id = $1`, inflight.ID), &v, &progress)
	if v != 3 || progress != 1 {
		t.Fatalf("in-flight invitation on version %d with progress %d after the migrating publish, want 3 and 1", v, progress)
	}
	c := r.campaign(tenant, "nine")
	r.run(t, tenant, []attack{
		{name: "delete the campaign", stmt: q(`DELETE FROM campaigns WHERE id = $1`, c), code: insufficientPriv},
		{name: "delete the version the rewards came from",
			stmt: q(`DELETE FROM campaign_versions WHERE campaign_id = $1 AND version = 1`, c),
			code: checkViolation, constraint: "published_version_immutable"},
		{name: "delete an invitation that earned rewards",
			stmt: q(`DELETE FROM invitations WHERE campaign_id = $1`, c), code: insufficientPriv},
		{name: "void all rewards of the ended campaign as owner", owner: true,
			stmt: q(`DELETE FROM reward_tokens WHERE campaign_id = $1`, c), code: checkViolation, constraint: "reward_never_revoked"},
	})
}
