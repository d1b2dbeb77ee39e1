package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tandemhq/tandem/internal/metrics"
)

// serveMetrics serves /metrics on addr, apart from the public listener, so
// that only who can reach addr (a private network, Fly's metrics scraper)
// reads it; it points the application pool's sample at d. Empty addr
// serves nothing. stop closes the listener.
func serveMetrics(addr string, d *appDB) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	if sqlDB, err := d.DB.DB(); err == nil {
		metrics.WatchPool("app", func() metrics.PoolStats {
			st := sqlDB.Stats()
			return metrics.PoolStats{InUse: st.InUse, Idle: st.Idle, Max: st.MaxOpenConnections,
				Waits: st.WaitCount, WaitSeconds: st.WaitDuration.Seconds()}
		})
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("metrics: serve", "err", err)
		}
	}()
	slog.Info("metrics: serving", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}

// watchJobs points the jobs pool's sample and the queue depths at pool,
// River's.
func watchJobs(pool *pgxpool.Pool) {
	metrics.WatchPool("jobs", func() metrics.PoolStats {
		st := pool.Stat()
		return metrics.PoolStats{InUse: int(st.AcquiredConns()), Idle: int(st.IdleConns()), Max: int(st.MaxConns()),
			Waits: st.EmptyAcquireCount(), WaitSeconds: st.EmptyAcquireWaitTime().Seconds()}
	})
	metrics.WatchQueues(func(ctx context.Context) ([]metrics.QueueDepth, error) { return queueDepths(ctx, pool) })
}

// queueDepths counts River's unfinished jobs by queue and state: the
// states River indexes, so the count reads the index, not the table.
func queueDepths(ctx context.Context, pool *pgxpool.Pool) ([]metrics.QueueDepth, error) {
	rows, err := pool.Query(ctx, `SELECT queue, state::text, count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running') GROUP BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []metrics.QueueDepth
	for rows.Next() {
		var d metrics.QueueDepth
		if err := rows.Scan(&d.Queue, &d.State, &d.Jobs); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
