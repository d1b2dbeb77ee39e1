package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/metrics"
	"github.com/tandemhq/tandem/tenants"
)

// warmPool warms every connection of the pool up (tenants.WarmUp), then
// clears warming, which holds /readyz failing meanwhile. A warm-up that
// fails leaves a pool that still serves, only slower at first: it is
// logged, and the machine becomes ready all the same.
func warmPool(ctx context.Context, db *gorm.DB, warming *atomic.Bool) {
	defer warming.Store(false)
	start := time.Now()
	done, err := tenants.WarmUp(ctx, db, database.MaxConns)
	took := time.Since(start)
	switch {
	case ctx.Err() != nil:
		return // told to stop before it finished
	case err != nil:
		slog.Warn("serve: warm-up failed; the first requests will plan what it would have", "err", err, "took", took)
		return
	}
	metrics.PoolWarmUp.Set(took.Seconds())
	slog.Info("serve: pool warmed up", "connections", done.Connections, "took", took)
}
