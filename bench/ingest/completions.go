package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The cost of a completion (figure 6's CPU lines): the backend's CPU time
// for quest steps that each complete an invitation — the invitation
// completed, its host's counter, the guest reward and the host's milestone
// reward issued, the rollups (deferred to the commit, so measured with it)
// and the webhook outbox — on one connection with nothing else running, as
// backend.go measures events.
const (
	completionHosts  = 50    // a batch of 1,000 completions: 50 hosts × 20 guests
	hotGuests        = 5_000 // the hot host's guests, all completing in one transaction
	hotSpreadPerHost = hotGuests / completionHosts
)

// completionCost is the backend CPU time per completion: a batch of 1,000
// spread over 50 hosts, then 5,000 completions in one transaction (five
// batches) on one host and spread over 50, then the batch again under
// review: risky, with no signal (reviewedClean) and with every referral
// flagged, its rewards held (reviewedFlagged), then the plain batch once
// more (batchAgain), which the reviewed ones are compared with.
type completionCost struct {
	batch, hot, spread             time.Duration
	reviewedClean, reviewedFlagged time.Duration
	batchAgain                     time.Duration
}

// reviewBase is what a reviewed batch is compared with: the plain batch
// measured after the reviewed ones, not the first one. Measured last, the
// plain batch is the warmest of the three (the backend's caches keep
// filling after the warm-up): if the order still favours one side, it
// favours the batch without review, and the ratio overstates review's cost
// rather than hiding it.
func (c completionCost) reviewBase() time.Duration { return c.batchAgain }

// reviewedSignals is what every referral of the flagged cohort carries: a
// medium signal, which review: risky holds.
var reviewedSignals = []models.RiskSignal{{Code: models.SignalVelocity, Level: models.RiskMedium, Detail: "a benchmark's referral"}}

// completionCohorts are the cohorts measureCompletions uses in the plain
// campaign: again is the batch's shape, measured after the reviewed ones.
func completionCohorts() (batch, hot, spread, again cohort) {
	return cohort{"done-batch", completionHosts, batchSize / completionHosts},
		cohort{"done-hot", 1, hotGuests},
		cohort{"done-spread", completionHosts, hotSpreadPerHost},
		cohort{"done-again", completionHosts, batchSize / completionHosts}
}

// reviewedCohorts are the batch's shape again, in the reviewed campaign.
func reviewedCohorts() (clean, flagged cohort) {
	return cohort{"done-reviewed", completionHosts, batchSize / completionHosts},
		cohort{"done-flagged", completionHosts, batchSize / completionHosts}
}

// measureCompletions sends each cohort's signups, unmeasured, in batches of
// 1,000, each a transaction; then its purchases, which complete every
// quest: the batch cohort's in one batch, the hot and spread cohorts' in
// five batches inside one transaction, so that one host's 5,000
// completions share their transaction. The plain batch's shape is measured
// again last (again), after the reviewed cohorts (completionCost.reviewBase).
// once is exactly-once on the hot host (checkExactlyOnce).
func (b *bench) measureCompletions(ctx context.Context, tenantID uuid.UUID, batch, hot, spread, clean, flagged, again cohort) (cost completionCost, once, err error) {
	pool, err := database.Open(b.appURL)
	if err != nil {
		return cost, nil, err
	}
	defer database.Close(pool)
	sqlDB, err := pool.DB()
	if err != nil {
		return cost, nil, err
	}
	sqlDB.SetMaxOpenConns(1)
	var pid int
	if err := pool.Raw(`SELECT pg_backend_pid()`).Row().Scan(&pid); err != nil {
		return cost, nil, err
	}
	if _, err := tenants.WarmUp(ctx, pool, 1); err != nil {
		return cost, nil, err
	}
	// events returns the cohort's events first … first+batchSize-1.
	events := func(c cohort, first int) []models.EventInput {
		evs := make([]models.EventInput, batchSize)
		for i := range evs {
			guest, name := c.event(first + i)
			evs[i] = models.EventInput{Participant: guest, Name: name, IdempotencyKey: uuid.NewString()}
		}
		return evs
	}
	// send sends the cohort's events from first on, batches batches of
	// 1,000 in one transaction.
	send := func(c cohort, first, batches int) error {
		return tenants.WithTenant(ctx, pool, tenantID, func(ctx context.Context) error {
			for i := range batches {
				if _, err := models.IngestEvents(ctx, events(c, first+i*batchSize)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, m := range []struct {
		c   cohort
		per *time.Duration
	}{{batch, &cost.batch}, {hot, &cost.hot}, {spread, &cost.spread}, {clean, &cost.reviewedClean}, {flagged, &cost.reviewedFlagged},
		{again, &cost.batchAgain}} {
		batches := m.c.guests() / batchSize
		for i := range batches {
			if err := send(m.c, i*batchSize, 1); err != nil {
				return cost, nil, fmt.Errorf("%s: signups: %w", m.c.prefix, err)
			}
		}
		if *m.per, err = cpuPerEvent(pid, m.c.guests(), func() error { return send(m.c, m.c.guests(), batches) }); err != nil {
			return cost, nil, fmt.Errorf("%s: completions: %w", m.c.prefix, err)
		}
		if err := b.checkStored(ctx, tenantID, m.c, m.c.completing()); err != nil {
			return cost, nil, err
		}
	}
	return cost, checkExactlyOnce(ctx, b.owner, tenantID, hot), nil
}

// printCompletions prints completionCost.
func printCompletions(out io.Writer, c completionCost) {
	fmt.Fprintln(out, "\nbackend CPU per completion, one connection warmed as serve warms its pool, nothing else running in the database (invitation, host counter, two rewards, rollups, outbox):")
	fmt.Fprintf(out, "  a batch of %s completions, %d hosts × %d guests    %7.1f µs\n", thousands(batchSize), completionHosts, batchSize/completionHosts, micros(c.batch))
	fmt.Fprintf(out, "  %s completions in one transaction, %d hosts × %d  %7.1f µs\n", thousands(hotGuests), completionHosts, hotSpreadPerHost, micros(c.spread))
	fmt.Fprintf(out, "  the same on one host (1 × %s)                   %7.1f µs   %.2f × the spread\n", thousands(hotGuests), micros(c.hot), over(float64(c.hot), float64(c.spread)))
	fmt.Fprintf(out, "  the batch under review: risky, no signal          %7.1f µs   %.2f × the batch again\n", micros(c.reviewedClean), over(float64(c.reviewedClean), float64(c.reviewBase())))
	fmt.Fprintf(out, "  the same, every referral flagged, rewards held    %7.1f µs   %.2f × the batch again\n", micros(c.reviewedFlagged), over(float64(c.reviewedFlagged), float64(c.reviewBase())))
	fmt.Fprintf(out, "  the batch again, no review, measured after them   %7.1f µs   %.2f × the first\n", micros(c.batchAgain), over(float64(c.batchAgain), float64(c.batch)))
}
