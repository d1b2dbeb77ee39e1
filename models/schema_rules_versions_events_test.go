package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

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
		// The progress judged first, from values (as publishing's migration
		// does): Citus calls no STABLE function with column references in
		// an UPDATE.
		{name: "control: migrate an invitation forward, with its campaign's migration",
			setup: []sqlStmt{q(`INSERT INTO campaign_migrations (campaign_id, version, in_flight) VALUES ($1, 2, 1)`, c)},
			stmt:  q(`UPDATE invitations SET version = 2, progress = $2 WHERE id = $1`, onV1.ID, r.progress(tenant, onV1.ID, 2)), rows: 1},
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
			code: insufficientPriv, msg: `row-level security policy for table "participant_event_names`},
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
		// Where the tenant's rows are, which on Citus is the worker whose
		// shard trigger records the pair.
		node := dialRaw(t, env.TenantNodeURL(t, tenant))
		dbtest.WaitFor(t, func() bool {
			var waiting int
			must(t, node.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted`).Scan(&waiting))
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
