package models_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/models"
)

// testBox encrypts the tests' webhook secrets.
var testBox = func() *secretbox.Box {
	box, err := secretbox.New(bytes.Repeat([]byte{1}, secretbox.KeySize))
	if err != nil {
		panic(err)
	}
	return box
}()

func ptr[T any](v T) *T { return &v }

// outbox lists the tenant's messages, oldest first, as "type object".
func outbox(t *testing.T, ctx context.Context) []string {
	t.Helper()
	var rows []string
	if err := models.TxOf(ctx).Raw(`SELECT type FROM webhook_messages ORDER BY id`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// A tenant with no endpoint records nothing; with one, every change that
// commits is in the outbox with its delivery and its River job, in order.
func TestWebhookOutboxRecordsChangesInTheirTransaction(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "quiet", mode: models.ModeInvitation, steps: []string{"signup_complete"}, milestones: []int64{500}})
		mustClaim(t, ctx, mustInvite(t, ctx, "quiet", "host").Code, "guest")
		if err := event(ctx, "guest", "signup_complete"); err != nil {
			t.Fatal(err)
		}
		if got := outbox(t, ctx); len(got) != 0 {
			t.Errorf("no endpoint, yet the outbox holds %v", got)
		}
		return nil
	})
	var endpoint models.WebhookEndpoint
	env.InTenant(t, tenant, func(ctx context.Context) (err error) {
		endpoint, err = models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{
			URL: ptr("https://example.com/hook"), Events: []string{"invitation.claimed", "quest.progressed", "invitation.completed", "reward.issued"}})
		return err
	})
	// A change that rolls back leaves nothing: no message, no job.
	rolledBack := errors.New("roll back")
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		mustClaim(t, ctx, mustInvite(t, ctx, "quiet", "host2").Code, "guest2")
		if got := outbox(t, ctx); !slices.Equal(got, []string{"invitation.claimed"}) {
			t.Errorf("inside the transaction the outbox holds %v", got)
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		if got := outbox(t, ctx); len(got) != 0 {
			t.Errorf("after a rollback the outbox holds %v", got)
		}
		return nil
	})
	var jobsBefore int
	env.MoveJobOutbox(t) // on Citus the jobs wait there for River's mover
	env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'webhook_delivery'`).Scan(&jobsBefore)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		mustClaim(t, ctx, mustInvite(t, ctx, "quiet", "host3").Code, "guest3") // invitation.created is not subscribed
		if err := event(ctx, "guest3", "signup_complete"); err != nil {
			t.Fatal(err)
		}
		// One transaction: the order within it is not the point.
		want := []string{"invitation.claimed", "invitation.completed", "quest.progressed", "reward.issued"}
		if got := slices.Sorted(slices.Values(outbox(t, ctx))); !slices.Equal(got, want) {
			t.Errorf("outbox %v, want %v", got, want)
		}
		return nil
	})
	var jobsAfter, deliveries int
	env.MoveJobOutbox(t)
	env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'webhook_delivery' AND args->>'tenant_id' = ?`, tenant.String()).Scan(&jobsAfter)
	env.Owner.Raw(`SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?`, endpoint.ID).Scan(&deliveries)
	if deliveries != 4 || jobsAfter != 4 {
		t.Errorf("%d deliveries and %d jobs for 4 messages (jobs of others before: %d)", deliveries, jobsAfter, jobsBefore)
	}
}

// The secret is shown once, stored encrypted and bound to its tenant.
func TestWebhookSecretsAreEncryptedAndRotate(t *testing.T) {
	a, b := env.NewTenant(t, "").TenantID, env.NewTenant(t, "").TenantID
	var ep models.WebhookEndpoint
	env.InTenant(t, a, func(ctx context.Context) (err error) {
		ep, err = models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{"*"}})
		return err
	})
	var stored []byte
	env.Owner.Raw(`SELECT secret FROM webhook_endpoints WHERE id = ?`, ep.ID).Scan(&stored)
	if len(ep.Secret) < 30 || bytes.Contains(stored, []byte(ep.Secret[6:])) {
		t.Fatalf("secret %q stored as %x", ep.Secret, stored)
	}
	if _, err := testBox.Open(stored, []byte("webhook_endpoints:"+b.String())); err == nil {
		t.Error("A's secret opens as B's")
	}
	env.InTenant(t, a, func(ctx context.Context) error {
		got, err := models.GetWebhookEndpoint(ctx, ep.ID)
		if err != nil || got.Secret != "" {
			t.Errorf("GetWebhookEndpoint shows the secret %q (%v)", got.Secret, err)
		}
		rotated, err := models.RotateWebhookSecret(ctx, testBox, ep.ID)
		if err != nil || rotated.Secret == ep.Secret || rotated.Secret == "" {
			t.Fatalf("rotate: %q, %v", rotated.Secret, err)
		}
		msg, err := models.SendWebhookTest(ctx, ep.ID)
		if err != nil {
			return err
		}
		var delivery string
		models.TxOf(ctx).Raw(`SELECT id FROM webhook_deliveries WHERE message_id = ?`, msg).Scan(&delivery)
		render := func(context.Context, string, string) (any, error) {
			return nil, errors.New("a test message renders itself")
		}
		out, ok, err := models.PrepareWebhookDelivery(ctx, testBox, delivery, render, time.Now())
		if err != nil || !ok {
			t.Fatalf("prepare: %v %v", ok, err)
		}
		if !slices.Equal(out.Secrets, []string{rotated.Secret, ep.Secret}) {
			t.Errorf("signing secrets within a day of the rotation: %v", out.Secrets)
		}
		later, _, err := models.PrepareWebhookDelivery(ctx, testBox, delivery, render, time.Now().Add(models.SecretOverlap+time.Minute))
		if err != nil || !slices.Equal(later.Secrets, []string{rotated.Secret}) || !bytes.Equal(later.Body, out.Body) {
			t.Errorf("a day later: %v, body %s vs %s, %v", later.Secrets, later.Body, out.Body, err)
		}
		return nil
	})
}

// A body once rendered never changes, whoever asks.
func TestWebhookPayloadIsWrittenOnce(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		ep, err := models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{"*"}})
		if err != nil {
			return err
		}
		msg, err := models.SendWebhookTest(ctx, ep.ID)
		if err != nil {
			return err
		}
		tx := models.TxOf(ctx)
		if err := tx.Exec(`UPDATE webhook_messages SET payload = '{"a":1}' WHERE id = ?`, msg).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE webhook_messages SET payload = '{"a":2}' WHERE id = ?`, msg).Error
	})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("already rendered")) {
		t.Fatalf("rewriting a rendered body: %v", err)
	}
}

// Failing attempts start the clock; five days of them disable the endpoint.
func TestWebhookEndpointDisabledAfterFailingFiveDays(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		ep, err := models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{"*"}})
		if err != nil {
			return err
		}
		attempt := func(at time.Time, code int) bool {
			msg, err := models.SendWebhookTest(ctx, ep.ID)
			if err != nil {
				t.Fatal(err)
			}
			var delivery string
			models.TxOf(ctx).Raw(`SELECT id FROM webhook_deliveries WHERE message_id = ?`, msg).Scan(&delivery)
			disabled, err := models.RecordWebhookAttempt(ctx, delivery, models.WebhookAttempt{At: at, StatusCode: &code}, false)
			if err != nil {
				t.Fatal(err)
			}
			return disabled
		}
		if attempt(start, 500) || attempt(start.Add(4*24*time.Hour), 503) {
			t.Fatal("disabled within 5 days")
		}
		got, _ := models.GetWebhookEndpoint(ctx, ep.ID)
		if got.FailingSince == nil || !got.FailingSince.Equal(start) {
			t.Errorf("failing since %v, want %v", got.FailingSince, start)
		}
		if attempt(start.Add(4*24*time.Hour+time.Hour), 200) {
			t.Fatal("a success disabled it")
		}
		if got, _ := models.GetWebhookEndpoint(ctx, ep.ID); got.FailingSince != nil {
			t.Errorf("a success left failing_since %v", got.FailingSince)
		}
		later := start.Add(10 * 24 * time.Hour)
		if attempt(later, 500) || !attempt(later.Add(models.FailingEndpointLimit), 500) {
			t.Fatal("not disabled after failing for 5 days")
		}
		got, _ = models.GetWebhookEndpoint(ctx, ep.ID)
		if got.Status != models.EndpointDisabled || got.DisabledReason == nil || *got.DisabledReason != "failing" {
			t.Errorf("endpoint %s (%v)", got.Status, got.DisabledReason)
		}
		enabled, err := models.UpdateWebhookEndpoint(ctx, ep.ID, models.WebhookEndpointInput{Status: ptr(models.EndpointEnabled)})
		if err != nil || enabled.DisabledReason != nil || enabled.FailingSince != nil {
			t.Errorf("enabled again: %+v, %v", enabled, err)
		}
		return nil
	})
}

func TestWebhookEndpointInputIsChecked(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	for _, tc := range []struct {
		in   models.WebhookEndpointInput
		code string
	}{
		{models.WebhookEndpointInput{Events: []string{"*"}}, "required"},
		{models.WebhookEndpointInput{URL: ptr("https://example.com/a")}, "required"},
		{models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{}}, "invalid_events"},
		{models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{"reward.stolen"}}, "invalid_events"},
		{models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{"*"}, Status: ptr("paused")}, "invalid_status"},
	} {
		err := env.TryInTenant(tenant, func(ctx context.Context) error {
			_, err := models.CreateWebhookEndpoint(ctx, testBox, tc.in)
			return err
		})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Code != tc.code {
			t.Errorf("%+v: %v, want %s", tc.in, err, tc.code)
		}
	}
}

// A delivery to an endpoint disabled meanwhile is failed, not left
// pending, so that it can be replayed once the endpoint is enabled again.
func TestWebhookDeliveryToADisabledEndpointFails(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "off", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		ep, err := models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("https://example.com/a"), Events: []string{"*"}})
		if err != nil {
			return err
		}
		mustInvite(t, ctx, "off", "host")
		if _, err := models.UpdateWebhookEndpoint(ctx, ep.ID, models.WebhookEndpointInput{Status: ptr(models.EndpointDisabled)}); err != nil {
			return err
		}
		var delivery string
		models.TxOf(ctx).Raw(`SELECT id FROM webhook_deliveries WHERE endpoint_id = ?`, ep.ID).Scan(&delivery)
		render := func(context.Context, string, string) (any, error) { return map[string]string{}, nil }
		if _, ok, err := models.PrepareWebhookDelivery(ctx, testBox, delivery, render, time.Now()); ok || err != nil {
			t.Fatalf("prepared for a disabled endpoint: %v %v", ok, err)
		}
		if _, err := models.UpdateWebhookEndpoint(ctx, ep.ID, models.WebhookEndpointInput{Status: ptr(models.EndpointEnabled)}); err != nil {
			return err
		}
		n, err := models.ReplayFailedWebhooks(ctx, ep.ID, time.Now().Add(-time.Hour))
		if err != nil || n != 1 {
			t.Errorf("replayed %d, %v; want the failed delivery", n, err)
		}
		return nil
	})
}
