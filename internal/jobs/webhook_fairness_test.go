package jobs_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/api"
)

// One tenant's slow receiver cannot hold up another tenant's webhooks: the
// noisy tenant queues more test messages than there are workers, to a
// receiver that answers none of them while the test runs, and holds at
// most its share of the workers (DeliveriesPerTenant) at once; the quiet
// tenant's message is delivered meanwhile.
func TestSlowReceiverDelaysNoOtherTenant(t *testing.T) {
	var mu sync.Mutex
	held, mostHeld := 0, 0
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		held++
		mostHeld = max(mostHeld, held)
		mu.Unlock()
		select {
		case <-release:
		case <-r.Context().Done():
		}
		mu.Lock()
		held--
		mu.Unlock()
	}))
	defer slow.Close()
	defer close(release) // before the server closes: its handlers return
	arrived := make(chan time.Time, 1)
	fast := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		for _, p := range api.CheckWebhook(body) {
			t.Errorf("the quiet tenant's message does not match the OpenAPI document: %s", p)
		}
		arrived <- time.Now()
	}))
	defer fast.Close()

	noisy, quiet := newAPIClient(t), newAPIClient(t)
	slowID := noisy.call("POST", "/v1/webhook-endpoints", map[string]any{"url": slow.URL, "events": []string{"*"}}, 201).JSON["id"].(string)
	fastID := quiet.call("POST", "/v1/webhook-endpoints", map[string]any{"url": fast.URL, "events": []string{"*"}}, 201).JSON["id"].(string)
	for range 20 {
		noisy.call("POST", "/v1/webhook-endpoints/"+slowID+"/test", nil, 202)
	}
	startServer(t, time.Now, func(cfg *jobs.Config) { cfg.WebhookWorkers, cfg.DeliveriesPerTenant = 6, 2 })
	dbtest.WaitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return held == 2
	}, "the noisy tenant's deliveries to reach its receiver")

	sent := time.Now()
	quiet.call("POST", "/v1/webhook-endpoints/"+fastID+"/test", nil, 202)
	select {
	case at := <-arrived:
		t.Logf("the quiet tenant's message arrived in %s", at.Sub(sent))
	case <-time.After(jobs.DeliveryTimeout / 2):
		t.Fatal("the quiet tenant's message did not arrive while the noisy tenant's receiver held its deliveries")
	}
	mu.Lock()
	defer mu.Unlock()
	if mostHeld > 2 {
		t.Errorf("the noisy tenant had %d deliveries on their way at once, want at most 2", mostHeld)
	}
}

// A tenant's own requests for more deliveries (test messages, replays) are
// refused once its backlog is past the cap, with webhook_backlog_exceeded;
// nothing is queued for them.
func TestWebhookBacklogCap(t *testing.T) {
	api := newAPIClient(t)
	id := api.call("POST", "/v1/webhook-endpoints", map[string]any{"url": "http://127.0.0.1:9/hook", "events": []string{"*"}}, 201).JSON["id"].(string)
	api.call("POST", "/v1/webhook-endpoints/"+id+"/test", nil, 202)
	// The backlog, made in one statement: that many messages, each with a
	// delivery to the endpoint.
	err := env.Owner.Exec(`
		WITH msgs AS (INSERT INTO webhook_messages (tenant_id, type, object_id)
		              SELECT ?, 'webhook.test', ? FROM generate_series(1, ?) RETURNING id)
		INSERT INTO webhook_deliveries (tenant_id, message_id, endpoint_id) SELECT ?, msgs.id, ? FROM msgs`,
		api.created.TenantID, id, models.MaxPendingWebhookDeliveries, api.created.TenantID, id).Error
	if err != nil {
		t.Fatal(err)
	}
	var before int
	env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'webhook_delivery' AND args->>'tenant_id' = ?`, api.created.TenantID.String()).Scan(&before)
	r := api.call("POST", "/v1/webhook-endpoints/"+id+"/test", nil, 429)
	if code := r.JSON["error"].(map[string]any)["code"]; code != "webhook_backlog_exceeded" {
		t.Errorf("code %v, want webhook_backlog_exceeded", code)
	}
	var after int
	env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'webhook_delivery' AND args->>'tenant_id' = ?`, api.created.TenantID.String()).Scan(&after)
	if after != before {
		t.Errorf("%d jobs queued by the refused test message", after-before)
	}
}
