package metrics

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// PoolStats is a connection pool's state at a scrape.
type PoolStats struct {
	InUse, Idle, Max int
	// Waits counts the acquisitions that had to wait for a connection, and
	// WaitSeconds the time they waited, since the pool opened.
	Waits       int64
	WaitSeconds float64
}

// QueueDepth is how many jobs of a queue are in a state (available,
// scheduled, retryable, running) at a scrape.
type QueueDepth struct {
	Queue, State string
	Jobs         int64
}

// sampled reads what is cheaper to look at when scraped than to count as
// it happens: the pools' stats and River's queues. The sources are set by
// serve (WatchPool, WatchQueues), replaced when it runs again.
var sampled = &sampler{pools: map[string]func() PoolStats{}}

type sampler struct {
	mu     sync.Mutex
	pools  map[string]func() PoolStats
	queues func(context.Context) ([]QueueDepth, error)
}

// WatchPool reports the pool named name (app, jobs) at each scrape.
func WatchPool(name string, stats func() PoolStats) {
	sampled.mu.Lock()
	defer sampled.mu.Unlock()
	sampled.pools[name] = stats
}

// WatchQueues reports River's queue depths at each scrape, read by depth
// (a query bounded by the scrape's own timeout).
func WatchQueues(depth func(context.Context) ([]QueueDepth, error)) {
	sampled.mu.Lock()
	defer sampled.mu.Unlock()
	sampled.queues = depth
}

var (
	poolConnsDesc = prometheus.NewDesc("tandem_db_pool_connections", "Connections of a database pool, by state (in_use, idle).",
		[]string{"pool", "state"}, nil)
	poolMaxDesc = prometheus.NewDesc("tandem_db_pool_max_connections", "The most connections a database pool opens.",
		[]string{"pool"}, nil)
	poolWaitsDesc = prometheus.NewDesc("tandem_db_pool_waits_total", "Connection acquisitions that waited for a free connection.",
		[]string{"pool"}, nil)
	poolWaitDesc = prometheus.NewDesc("tandem_db_pool_wait_seconds_total", "Time spent waiting for a free connection.",
		[]string{"pool"}, nil)
	queueDesc = prometheus.NewDesc("tandem_job_queue_jobs", "Jobs in a queue, by state (available, scheduled, retryable, running).",
		[]string{"queue", "state"}, nil)
)

// queueScrapeTimeout bounds the queue query at a scrape.
const queueScrapeTimeout = 2 * time.Second

func (s *sampler) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConnsDesc, poolMaxDesc, poolWaitsDesc, poolWaitDesc, queueDesc} {
		ch <- d
	}
}

func (s *sampler) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	pools := make(map[string]func() PoolStats, len(s.pools))
	for name, f := range s.pools {
		pools[name] = f
	}
	queues := s.queues
	s.mu.Unlock()
	for name, f := range pools {
		st := f()
		ch <- prometheus.MustNewConstMetric(poolConnsDesc, prometheus.GaugeValue, float64(st.InUse), name, "in_use")
		ch <- prometheus.MustNewConstMetric(poolConnsDesc, prometheus.GaugeValue, float64(st.Idle), name, "idle")
		ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(st.Max), name)
		ch <- prometheus.MustNewConstMetric(poolWaitsDesc, prometheus.CounterValue, float64(st.Waits), name)
		ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, st.WaitSeconds, name)
	}
	if queues == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), queueScrapeTimeout)
	defer cancel()
	depths, err := queues(ctx)
	if err != nil {
		// The scrape still gets the rest; the gap in the queue series
		// and this line say why.
		slog.Warn("metrics: queue depth", "err", err)
		return
	}
	for _, d := range depths {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(d.Jobs), d.Queue, d.State)
	}
}
