package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/tandemhq/tandem/internal/demo"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/metrics"
	"github.com/tandemhq/tandem/internal/pgcluster"
)

// A referral, from the claim to the quest's last event, moves the counters
// /metrics serves on METRICS_ADDR: requests by route and status, events
// ingested and ingestion transactions, and the webhooks it sends (their
// jobs and deliveries); the pools are reported too. The public port serves
// no /metrics.
func TestMetricsAfterAReferral(t *testing.T) {
	creds, err := demo.Seed(context.Background(), env.App)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := pgcluster.FreePort()
	metricsPort, _ := pgcluster.FreePort()
	cfg := Config{AppDatabaseURL: env.AppURL, Port: port, PublicURL: fmt.Sprintf("http://127.0.0.1:%d", port),
		EncryptionKey: "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", MetricsAddr: fmt.Sprintf("127.0.0.1:%d", metricsPort),
		WebhookAllowPrivateNetworks: true, WebhookRetrySchedule: []time.Duration{time.Second}}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(receiver.Close)
	ctx, stop := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serveCmd(ctx, cfg, nil, out) }()
	t.Cleanup(func() { stop(); <-done })
	waitFor(t, func() bool { return strings.Contains(out.String(), "Tandem is running at") }, "serve to start")
	scrape := func() string {
		t.Helper()
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	before := scrape()

	api := func(path, body string, want int) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, cfg.PublicURL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+creds.SecretKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("POST %s: %d %s, want %d", path, resp.StatusCode, b, want)
		}
		return string(b)
	}
	api("/v1/webhook-endpoints", `{"url":"`+receiver.URL+`","events":["*"]}`, http.StatusCreated)
	codeJSON := api("/v1/campaigns/refer-a-friend/referrer-code", `{"participant":"metrics-host"}`, http.StatusOK)
	code := codeJSON[strings.Index(codeJSON, `"code":"`)+8:]
	code = code[:strings.Index(code, `"`)]
	api("/v1/claims", `{"code":"`+code+`","guest":"metrics-guest"}`, http.StatusCreated)
	for _, step := range []string{"signup_complete", "form_a_complete", "purchase_complete"} {
		api("/v1/events", `{"participant":"metrics-guest","name":"`+step+`"}`, http.StatusAccepted)
	}
	// A delivery is counted as it is sent, its job once River has recorded
	// it done, a moment later.
	delivered, completed := `tandem_webhook_deliveries_total{outcome="delivered"}`, `tandem_jobs_total{kind="webhook_delivery",outcome="completed"}`
	waitFor(t, func() bool {
		now := scrape()
		return sample(now, delivered) > sample(before, delivered) && sample(now, completed) > sample(before, completed)
	}, "a webhook delivery and its job to be counted")
	after := scrape()

	for _, series := range []string{
		`tandem_http_requests_total{method="POST",route="/v1/claims",status="201"}`,
		`tandem_http_requests_total{method="POST",route="/v1/events",status="202"}`,
		`tandem_http_request_duration_seconds_count{method="POST",route="/v1/events"}`,
		`tandem_events_ingested_total`,
		`tandem_ingest_transaction_events_count`,
		`tandem_jobs_total{kind="webhook_delivery",outcome="completed"}`,
		`tandem_webhook_delivery_duration_seconds_count`,
	} {
		if b, a := sample(before, series), sample(after, series); a <= b {
			t.Errorf("%s went from %v to %v; want it to grow", series, b, a)
		}
	}
	for _, series := range []string{`tandem_db_pool_max_connections{pool="app"}`, `tandem_db_pool_max_connections{pool="jobs"}`} {
		if sample(after, series) <= 0 {
			t.Errorf("%s is missing", series)
		}
	}
	if resp, err := http.Get(cfg.PublicURL + "/metrics"); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "tandem_http_requests_total") {
			t.Error("the public port serves the metrics")
		}
	}
}

// sample reads a series' value from Prometheus' text format; 0 when absent.
func sample(exposition, series string) float64 {
	for _, line := range strings.Split(exposition, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// The queue depth is read as River's own role, which alone holds its
// tables: a job waiting in a queue is counted by queue and state.
func TestQueueDepths(t *testing.T) {
	ctx := context.Background()
	pool, err := jobs.OpenPool(ctx, env.AppURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	before, err := queueDepths(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	// A job no worker of this test runs, in a queue of its own, inserted
	// as River inserts (its insert path, not SQL of ours).
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Insert(ctx, depthProbeArgs{}, &river.InsertOpts{Queue: "depth_probe"}); err != nil {
		t.Fatal(err)
	}
	after, err := queueDepths(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	count := func(ds []metrics.QueueDepth) (n int64) {
		for _, d := range ds {
			if d.Queue == "depth_probe" && d.State == "available" {
				n += d.Jobs
			}
		}
		return n
	}
	if count(after) != count(before)+1 {
		t.Errorf("depth_probe available: %d before, %d after one insert", count(before), count(after))
	}
}

type depthProbeArgs struct{}

func (depthProbeArgs) Kind() string { return "depth_probe" }
