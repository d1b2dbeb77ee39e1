package models_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// Retention's narrow paths are the only way to delete replays and widget
// tokens, blank a webhook body or drop its attempts: tandem_app cannot do
// any of it directly, the referee (the functions' owner) can blank a
// message only whole and change nothing else of it, the periods stay in
// their bounds, and the functions reach no other tenant's rows and
// nothing before its period, whatever clock the caller gives them.
func TestSchemaRetentionPaths(t *testing.T) {
	rows, other := retentionFixture(t), retentionFixture(t)
	r := newRawDB(t)
	tenant := rows.tenant
	blank := `UPDATE webhook_messages SET payload = NULL, snapshot = NULL, facts = '{}' WHERE id = $1`
	attacks := []attack{
		{name: "delete a replay", stmt: q(`DELETE FROM api_idempotency WHERE key = 'recent'`), code: insufficientPriv},
		{name: "delete a live widget token", stmt: q(`DELETE FROM widget_tokens`), code: insufficientPriv},
		{name: "delete an attempt", stmt: q(`DELETE FROM webhook_attempts`), code: insufficientPriv},
		{name: "blank a message's snapshot", stmt: q(`UPDATE webhook_messages SET snapshot = NULL WHERE id = $1`, rows.recent), code: insufficientPriv},
		{name: "blank a rendered body", stmt: q(`UPDATE webhook_messages SET payload = NULL WHERE id = $1`, rows.recent),
			code: checkViolation, constraint: "webhook_payload_once"},
		{name: "blank a body as the referee, keeping its snapshot", owner: true, setup: asReferee,
			stmt: q(`UPDATE webhook_messages SET payload = NULL WHERE id = $1`, rows.recent), code: checkViolation, constraint: "webhook_payload_once"},
		{name: "rewrite a body as the referee", owner: true, setup: asReferee,
			stmt: q(`UPDATE webhook_messages SET payload = '{}' WHERE id = $1`, rows.recent), code: checkViolation, constraint: "webhook_payload_once"},
		{name: "rewrite a snapshot as the referee", owner: true, setup: asReferee,
			stmt: q(`UPDATE webhook_messages SET snapshot = '{}' WHERE id = $1`, rows.recent), code: checkViolation, constraint: "webhook_payload_once"},
		{name: "retype a message as the referee", owner: true, setup: asReferee,
			stmt: q(`UPDATE webhook_messages SET type = 'reward.issued', payload = NULL, snapshot = NULL, facts = '{}' WHERE id = $1`, rows.recent),
			code: insufficientPriv},
		{name: "blank a message as the referee (the function's own step)", owner: true, setup: asReferee, stmt: q(blank, rows.recent), rows: 1},
		{name: "blank an event's properties", stmt: q(`UPDATE events SET properties = '{}' WHERE id = $1`, rows.recentEvent), code: insufficientPriv},
		{name: "erase properties past the tenant's period", stmt: q(`SELECT erase_event_properties(app_tenant_id(), now(), 100)`), code: insufficientPriv},
		{name: "a period of none", stmt: q(`INSERT INTO retention_settings (tenant_id, event_properties_days, idempotency_hours, webhook_days)
			VALUES (app_tenant_id(), 0, 24, 30)`), code: checkViolation, constraint: "retention_event_properties_days"},
		{name: "replays kept a year", stmt: q(`INSERT INTO retention_settings (tenant_id, event_properties_days, idempotency_hours, webhook_days)
			VALUES (app_tenant_id(), 365, 8760, 30)`), code: checkViolation, constraint: "retention_idempotency_hours"},
		{name: "webhook bodies kept a century", stmt: q(`INSERT INTO retention_settings (tenant_id, event_properties_days, idempotency_hours, webhook_days)
			VALUES (app_tenant_id(), 365, 24, 36500)`), code: checkViolation, constraint: "retention_webhook_days"},
		{name: "another tenant's periods", stmt: q(`INSERT INTO retention_settings (tenant_id, event_properties_days, idempotency_hours, webhook_days)
			VALUES ($1, 1, 1, 1)`, other.tenant), code: insufficientPriv},
		// With the shortest periods (saved below), a clock a year ahead still removes
		// nothing younger than them by the database's clock: the recent
		// replay and message, the live token.
		{name: "a clock a year ahead",
			stmt: q(`SELECT retention_delete_idempotency(now() + interval '1 year', 100), retention_delete_widget_tokens(now() + interval '1 year', 100),
				retention_blank_webhook_messages(now() + interval '1 year', 100)
				FROM (SELECT) x WHERE (SELECT count(*) FROM api_idempotency WHERE key = 'recent') = 1`), rows: 1},
		// In a transaction of its own: on Citus one reaches a tenant's
		// shards as one user, and event properties are blanked as erasure's.
		{name: "a clock a year ahead, for event properties",
			stmt: q(`SELECT retention_blank_event_properties(now() + interval '1 year', 100)`), rows: 1},
	}
	// Saved, not set in an attack's transaction: on Citus a transaction
	// reaches a tenant's shards as one user, and the functions write as
	// another than the app.
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, err := models.SaveRetention(ctx, models.Retention{EventPropertiesDays: 1, IdempotencyHours: 1, WebhookDays: 1})
		return err
	})
	r.run(t, tenant, attacks)
	// Nothing the attacks did stayed, and the last one's functions left
	// the recent rows and every row of the other tenant.
	want := retentionState{replays: []string{"old", "recent"}, tokens: []string{"expi", "live"},
		unblanked: sorted(rows.oldDone, rows.oldPending, rows.recent), attempts: 2, events: sorted(rows.oldEvent, rows.recentEvent)}
	checkRetention(t, "after the attacks", readRetention(t, rows), want)
	want.unblanked, want.events = sorted(other.oldDone, other.oldPending, other.recent), sorted(other.oldEvent, other.recentEvent)
	checkRetention(t, "the other tenant", readRetention(t, other), want)
}
