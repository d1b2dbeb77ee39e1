package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// retentionRows are what a tenant holds of each kind retention judges:
// idempotency replays and widget tokens by id, an old finished message
// (oldDone), an old one still being delivered (oldPending) and a recent
// finished one (recent).
type retentionRows struct {
	tenant                      uuid.UUID
	oldDone, oldPending, recent string
	oldEvent, recentEvent       string
}

// retentionFixture gives a new tenant a replay 25 hours old ("old") and a
// fresh one ("recent"), an event with properties received a year and an
// hour ago and a recent one, a widget token expired an hour ago ("expired") and
// a live one ("live"), and the three webhook messages of retentionRows,
// the old ones 30 days and an hour old. Past rows are made by back-dating fresh ones
// with the triggers off (now() cannot be faked).
func retentionFixture(t *testing.T) retentionRows {
	t.Helper()
	rows := retentionRows{tenant: env.NewTenant(t, "").TenantID}
	env.InTenant(t, rows.tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "keep", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		for _, id := range []*string{&rows.oldEvent, &rows.recentEvent} {
			id2, _, err := models.IngestEvent(ctx, models.EventInput{Participant: "ada", Name: "signup_complete",
				Properties: []byte(`{"email":"ada@example.com"}`)})
			must(t, err)
			*id = id2
		}
		for _, key := range []string{"old", "recent"} {
			if _, err := models.BeginIdempotent(ctx, key, [32]byte{1}); err != nil {
				return err
			}
			must(t, models.FinishIdempotent(ctx, key, 201, []byte(`{"email":"ada@example.com"}`)))
		}
		var keyID string
		must(t, models.TxOf(ctx).Raw(`SELECT id FROM api_keys WHERE tenant_id = ? AND kind = 'secret'`, rows.tenant).Scan(&keyID).Error)
		for _, name := range []string{"expired", "live"} {
			_, err := models.InsertWidgetToken(ctx, keyID, "ada", "keep", []byte(name + "-hash-of-32-bytes-long-enough!!!!")[:32], time.Hour)
			must(t, err)
		}
		ep, err := models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{"*"}})
		must(t, err)
		for _, id := range []*string{&rows.oldDone, &rows.oldPending, &rows.recent} {
			*id, err = models.SendWebhookTest(ctx, ep.ID)
			must(t, err)
			must(t, models.TxOf(ctx).Exec(`UPDATE webhook_messages SET payload = '{"email":"ada@example.com"}' WHERE tenant_id = ? AND id = ?`,
				rows.tenant, *id).Error)
			if *id == rows.oldPending {
				continue
			}
			var delivery string
			must(t, models.TxOf(ctx).Raw(`SELECT id FROM webhook_deliveries WHERE tenant_id = ? AND message_id = ?`, rows.tenant, *id).Scan(&delivery).Error)
			code := 200
			_, err = models.RecordWebhookAttempt(ctx, delivery, models.WebhookAttempt{Attempt: 1, At: time.Now(), StatusCode: &code, Response: "ok"}, true)
			must(t, err)
		}
		return nil
	})
	ownerWithoutTriggers(t, `UPDATE events SET received_at = now() - interval '365 days 1 hour' WHERE tenant_id = ? AND id = ?`,
		rows.tenant.String(), rows.oldEvent)
	ownerWithoutTriggers(t, `UPDATE api_idempotency SET created_at = now() - interval '25 hours' WHERE tenant_id = ? AND key = 'old'`, rows.tenant.String())
	ownerWithoutTriggers(t, `UPDATE widget_tokens SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
		WHERE tenant_id = ? AND token_hash = ?`, rows.tenant.String(), []byte("expired-hash-of-32-bytes-long-enough!!!!")[:32])
	// A test message has no snapshot; these stand for those that have one.
	ownerWithoutTriggers(t, `UPDATE webhook_messages SET snapshot = '{"email":"ada@example.com"}' WHERE tenant_id = ?`, rows.tenant.String())
	ownerWithoutTriggers(t, `UPDATE webhook_messages SET created_at = now() - interval '30 days 1 hour' WHERE tenant_id = ? AND id IN (?, ?)`,
		rows.tenant.String(), rows.oldDone, rows.oldPending)
	return rows
}

// retentionState is what is left of a fixture, read as the owner.
type retentionState struct {
	replays, tokens []string
	unblanked       []string // messages with a body, snapshot or facts
	attempts        int
	events          []string // events with properties
}

func readRetention(t *testing.T, rows retentionRows) retentionState {
	t.Helper()
	var s retentionState
	tenant := rows.tenant.String()
	must(t, env.Owner.Raw(`SELECT key FROM api_idempotency WHERE tenant_id = ? ORDER BY key`, tenant).Scan(&s.replays).Error)
	must(t, env.Owner.Raw(`SELECT convert_from(substr(token_hash, 1, 4), 'UTF8') FROM widget_tokens WHERE tenant_id = ? ORDER BY 1`, tenant).Scan(&s.tokens).Error)
	must(t, env.Owner.Raw(`SELECT id FROM webhook_messages WHERE tenant_id = ? AND (payload IS NOT NULL OR snapshot IS NOT NULL OR facts <> '{}') ORDER BY id`,
		tenant).Scan(&s.unblanked).Error)
	must(t, env.Owner.Raw(`SELECT count(*) FROM webhook_attempts WHERE tenant_id = ?`, tenant).Scan(&s.attempts).Error)
	must(t, env.Owner.Raw(`SELECT id FROM events WHERE tenant_id = ? AND properties <> '{}' ORDER BY id`, tenant).Scan(&s.events).Error)
	return s
}

func enforceRetention(t *testing.T, tenant uuid.UUID, now time.Time) int {
	t.Helper()
	total := 0
	env.InTenant(t, tenant, func(ctx context.Context) error {
		n, _, err := models.EnforceRetention(ctx, now, 100)
		total = n
		return err
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		n, _, err := models.BlankOldEventProperties(ctx, now, 100)
		total += n
		return err
	})
	return total
}

// Retention removes what is past each period at the job's clock, and no
// more: a clock two hours back removes nothing, the present removes the
// old replay, the expired token, and the old finished message's body with
// its attempts (the message and its delivery stay, as does the message
// still being delivered) and the old event's properties (the event
// stays), and a clock two days ahead removes nothing more
// (the functions judge by the database's clock when the caller's is
// later). Another tenant with longer periods keeps all of its own.
func TestRetentionRemovesWhatIsPastItsPeriod(t *testing.T) {
	a, b := retentionFixture(t), retentionFixture(t)
	env.InTenant(t, b.tenant, func(ctx context.Context) error {
		_, err := models.SaveRetention(ctx, models.Retention{EventPropertiesDays: 400, IdempotencyHours: 48, WebhookDays: 60})
		return err
	})
	full := retentionState{replays: []string{"old", "recent"}, tokens: []string{"expi", "live"},
		unblanked: sorted(a.oldDone, a.oldPending, a.recent), attempts: 2, events: sorted(a.oldEvent, a.recentEvent)}

	if n := enforceRetention(t, a.tenant, time.Now().Add(-2*time.Hour)); n != 0 {
		t.Errorf("two hours back: %d rows removed, want none", n)
	}
	checkRetention(t, "two hours back", readRetention(t, a), full)

	if n := enforceRetention(t, a.tenant, time.Now()); n != 4 {
		t.Errorf("now: %d rows removed, want 4 (an event's properties, a replay, a token, a message)", n)
	}
	after := retentionState{replays: []string{"recent"}, tokens: []string{"live"}, unblanked: sorted(a.oldPending, a.recent), attempts: 1,
		events: []string{a.recentEvent}}
	checkRetention(t, "now", readRetention(t, a), after)
	var deliveries int
	must(t, env.Owner.Raw(`SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND message_id = ?`, a.tenant.String(), a.oldDone).Scan(&deliveries).Error)
	if deliveries != 1 {
		t.Errorf("the blanked message has %d deliveries, want its one kept", deliveries)
	}

	if n := enforceRetention(t, a.tenant, time.Now().Add(48*time.Hour)); n != 0 {
		t.Errorf("two days ahead: %d rows removed, want none", n)
	}
	checkRetention(t, "two days ahead", readRetention(t, a), after)

	// B's periods are longer: only its expired token goes.
	enforceRetention(t, b.tenant, time.Now())
	full.tokens, full.unblanked, full.events = []string{"live"}, sorted(b.oldDone, b.oldPending, b.recent), sorted(b.oldEvent, b.recentEvent)
	checkRetention(t, "the other tenant", readRetention(t, b), full)
}

func sorted(s ...string) []string { slices.Sort(s); return s }

func checkRetention(t *testing.T, when string, got, want retentionState) {
	t.Helper()
	if !slices.Equal(got.replays, want.replays) || !slices.Equal(got.tokens, want.tokens) ||
		!slices.Equal(got.unblanked, want.unblanked) || got.attempts != want.attempts || !slices.Equal(got.events, want.events) {
		t.Errorf("%s: left %+v, want %+v", when, got, want)
	}
}

// A tenant's periods are its own, bounded, and the defaults until saved.
func TestRetentionSettings(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		r, err := models.GetRetention(ctx)
		must(t, err)
		if r != (models.Retention{EventPropertiesDays: 365, IdempotencyHours: 24, WebhookDays: 30}) {
			t.Errorf("defaults: %+v", r)
		}
		for _, bad := range []models.Retention{{0, 24, 30, nil}, {365, 0, 30, nil}, {365, 24, 0, nil}, {3651, 24, 30, nil},
			{365, 721, 30, nil}, {365, 24, 3651, nil}} {
			var invalid *models.ValidationError
			if _, err := models.SaveRetention(ctx, bad); !errors.As(err, &invalid) || invalid.Code != "invalid_retention" {
				t.Errorf("SaveRetention(%+v): %v, want invalid", bad, err)
			}
		}
		r, err = models.SaveRetention(ctx, models.Retention{EventPropertiesDays: 30, IdempotencyHours: 1, WebhookDays: 7})
		must(t, err)
		if r.EventPropertiesDays != 30 || r.IdempotencyHours != 1 || r.WebhookDays != 7 || r.UpdatedAt == nil {
			t.Errorf("saved: %+v", r)
		}
		return nil
	})
}
