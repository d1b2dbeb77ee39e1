// Package metrics holds every Prometheus metric of Tandem in one registry,
// served on METRICS_ADDR (cmd/tandem) and listed with the alerts worth
// setting in docs/operations.md. It imports nothing of Tandem and nothing
// of Fiber, so any package may record into it; a metric is a package
// variable here, named tandem_<what>_<unit>, so that one file lists them
// all.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry is Tandem's, rather than Prometheus' global one: only what is
// registered here is served, with the Go runtime's and the process' own.
var Registry = prometheus.NewRegistry()

// fastBuckets are latencies from a millisecond to ten seconds: the
// database round trips most requests are.
var fastBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}

var (
	// HTTPRequests counts the requests answered, by route pattern (never
	// the raw path, which carries codes and ids), method and status.
	HTTPRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tandem_http_requests_total", Help: "HTTP requests answered, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	// HTTPDuration is the time from a request's headers to its answer.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tandem_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern and method.",
		Buckets: fastBuckets,
	}, []string{"route", "method"})

	// EventsIngested counts the events stored (duplicates by idempotency
	// key included: they were answered).
	EventsIngested = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tandem_events_ingested_total", Help: "Events ingested.",
	})
	// IngestTransactions observes how many events each ingestion
	// transaction stored: requests' events grouped into one commit
	// (tenants.EventGroups) show here as sizes above a request's.
	IngestTransactions = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "tandem_ingest_transaction_events", Help: "Events stored per ingestion transaction (group-commit size).",
		Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000},
	})

	// PoolWarmUp is how long serve's warm-up of its database pool took
	// (tenants.WarmUp), during which /readyz fails; 0 until it is done.
	PoolWarmUp = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "tandem_pool_warm_up_seconds", Help: "Time serve took to warm its database pool up before it was ready.",
	})

	// JobOutcomes counts the jobs River finished, by kind and outcome
	// (completed, failed: to be retried, discarded, cancelled, snoozed).
	JobOutcomes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tandem_jobs_total", Help: "Background jobs finished, by kind and outcome.",
	}, []string{"kind", "outcome"})

	// WebhookDeliveries counts webhook delivery attempts by outcome
	// (delivered; refused: answered, not 2xx; failed: no answer);
	// WebhookDuration times them.
	WebhookDeliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tandem_webhook_deliveries_total", Help: "Webhook delivery attempts, by outcome.",
	}, []string{"outcome"})
	WebhookDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "tandem_webhook_delivery_duration_seconds", Help: "Time of a webhook delivery attempt, until the receiver answered or failed.",
		Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})

	// StripeCalls counts calls to Stripe by what they did (fulfil: a
	// reward; checkout, portal: billing) and outcome (ok, refused, error).
	StripeCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tandem_stripe_calls_total", Help: "Calls to Stripe's API, by call and outcome.",
	}, []string{"call", "outcome"})

	// RateLimitRefusals counts requests refused by a limit (429), by route
	// pattern: the route says which limit (an API key's, logins', sign-ups',
	// invite pages', key checks').
	RateLimitRefusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tandem_rate_limit_refusals_total", Help: "Requests refused by a rate limit (429), by route pattern.",
	}, []string{"route"})
)

func init() {
	Registry.MustRegister(
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		HTTPRequests, HTTPDuration, EventsIngested, IngestTransactions, PoolWarmUp, JobOutcomes,
		WebhookDeliveries, WebhookDuration, StripeCalls, RateLimitRefusals, sampled,
	)
}

// Handler serves the registry in Prometheus' text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}
