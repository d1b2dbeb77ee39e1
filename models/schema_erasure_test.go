package models_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// asEraser is the setup of an attack run as tandem_eraser, the role the
// erasure functions run as (the owner's connection may switch to it): it
// meets the guards behind the privileges.
var asEraser = []sqlStmt{q(`SET LOCAL ROLE tandem_eraser`)}

// Erasure is one narrow path: tandem_app may call erase_participant and
// nothing else of it; tandem_eraser itself may only blank what the guards
// name (an event's properties and key, an audit entry's before and after, a
// recipient, a rendered webhook body), and never rewrite an event's name,
// time or participant.
func TestSchemaErasurePath(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	other := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "erase", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		if _, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "bob", Email: ptr("bob@example.com")}); err != nil {
			return err
		}
		_, err := models.CreateInvitation(ctx, "erase", models.InvitationInput{Host: "bob", Recipient: "carol@example.com"})
		must(t, err)
		_, _, err = models.IngestEvent(ctx, models.EventInput{Participant: "bob", Name: "signup_complete",
			IdempotencyKey: "k1", Properties: []byte(`{"email":"bob@example.com"}`)})
		return err
	})
	r := newRawDB(t)
	bob := r.participant(tenant, "bob")
	// events_erasable names the columns erasure must leave as they were:
	// a new column fails here until the guard names it too.
	if cols := r.str(tenant, `SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_attribute
		WHERE attrelid = 'events'::regclass AND attnum > 0 AND NOT attisdropped`); cols != "id,idempotency_key,name,occurred_at,participant_id,properties,received_at,tenant_id" {
		t.Errorf("events has columns %s: name the new ones in events_erasable", cols)
	}
	r.run(t, tenant, []attack{
		// tandem_app holds none of it.
		{name: "blank an event's properties as tandem_app",
			stmt: q(`UPDATE events SET properties = '{}' WHERE participant_id = $1`, bob), code: insufficientPriv},
		{name: "drop an event's key as tandem_app",
			stmt: q(`UPDATE events SET idempotency_key = NULL WHERE participant_id = $1`, bob), code: insufficientPriv},
		{name: "change an external id as tandem_app",
			stmt: q(`UPDATE participants SET external_id = 'someone' WHERE id = $1`, bob), code: insufficientPriv},
		{name: "mark a participant erased as tandem_app",
			stmt: q(`UPDATE participants SET erased_at = now() WHERE id = $1`, bob), code: insufficientPriv},
		{name: "blank properties in bulk as tandem_app",
			stmt: q(`SELECT erase_event_properties(app_tenant_id(), now(), 1000)`), code: insufficientPriv},
		{name: "become the eraser as tandem_app",
			stmt: q(`SET LOCAL ROLE tandem_eraser`), code: insufficientPriv},
		{name: "erase another tenant's participant",
			stmt: q(`SELECT erase_participant($1, $2)`, other.String(), bob), code: insufficientPriv, msg: "its tenant's transaction"},
		{name: "erase an unknown participant",
			stmt: q(`SELECT erase_participant(app_tenant_id(), 'par_nobody')`), code: "P0002", constraint: "participant_not_found"},
		// The owner, a superuser, meets the guards too.
		{name: "blank an event's properties as owner", owner: true,
			stmt: q(`UPDATE events SET properties = '{}' WHERE tenant_id = $1`, tenant.String()),
			code: checkViolation, constraint: "append_only"},
		{name: "blank a recipient as owner", owner: true,
			stmt: q(`UPDATE invitations SET recipient = '' WHERE tenant_id = $1`, tenant.String()),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "rewrite an audit entry's after as owner", owner: true,
			stmt: q(`UPDATE audit_log SET after = '{}' WHERE tenant_id = $1`, tenant.String()),
			code: checkViolation, constraint: "append_only"},
		// As tandem_eraser: only blanking.
		{name: "rename an event as the eraser", owner: true, setup: asEraser,
			stmt: q(`UPDATE events SET name = 'signup_complete', properties = '{}' WHERE tenant_id = $1`, tenant.String()),
			code: insufficientPriv},
		{name: "rewrite an event's properties as the eraser", owner: true, setup: asEraser,
			stmt: q(`UPDATE events SET properties = '{"email":"x@example.com"}' WHERE tenant_id = $1 AND participant_id = $2`, tenant.String(), bob),
			code: checkViolation, constraint: "append_only"},
		{name: "change an event's key as the eraser", owner: true, setup: asEraser,
			stmt: q(`UPDATE events SET properties = '{}', idempotency_key = 'k2' WHERE tenant_id = $1 AND participant_id = $2`, tenant.String(), bob),
			code: checkViolation, constraint: "append_only"},
		{name: "delete an event as the eraser", owner: true, setup: asEraser,
			stmt: q(`DELETE FROM events WHERE tenant_id = $1`, tenant.String()), code: insufficientPriv},
		{name: "rewrite a recipient as the eraser", owner: true, setup: asEraser,
			stmt: q(`UPDATE invitations SET recipient = 'mallory@example.com' WHERE tenant_id = $1`, tenant.String()),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "rewrite an audit entry's action as the eraser", owner: true, setup: asEraser,
			stmt: q(`UPDATE audit_log SET action = 'campaign.erased' WHERE tenant_id = $1`, tenant.String()), code: insufficientPriv},
		{name: "control: the eraser blanks an event's properties and key", owner: true, setup: asEraser,
			stmt: q(`UPDATE events SET properties = '{}', idempotency_key = NULL WHERE tenant_id = $1 AND participant_id = $2 AND name = 'signup_complete'`, tenant.String(), bob),
			rows: 1},
		{name: "control: the eraser blanks a recipient", owner: true, setup: asEraser,
			stmt: q(`UPDATE invitations SET recipient = '' WHERE tenant_id = $1`, tenant.String()), rows: 1},
		{name: "control: tandem_app erases a participant",
			stmt: q(`SELECT erase_participant($1, $2)`, tenant.String(), bob), rows: 1},
	})
}
