// Package jobs runs Tandem's background work on River
// (github.com/riverqueue/river), a job queue kept in PostgreSQL: webhook
// deliveries, Stripe reward fulfilment, campaign migrations
// (campaign_migration.go), the periodic reward expiry,
// retention (retention.go), the purge of deleted accounts (tenant_purge.go)
// and the move of the job outbox (job_outbox.go).
// `tandem serve` starts one
// Runner beside the HTTP server; every machine works jobs, and River hands
// each job to one of them at a time.
//
// Jobs reach tenant data only through package tenants: a job's arguments
// name a tenant and a row, and the worker opens that tenant's transaction.
// Jobs are tenant data too: River works as its own role (OpenPool), and a
// tenant's transaction cannot read River's tables at all; it queues a job
// only through a SQL function that writes it for that tenant alone
// (migrations/00037_jobs_are_tenant_data.sql).
//
// Adding a kind of job: write a worker (a type with river.WorkerDefaults
// and a Work method, its arguments a struct with a Kind method), and add it
// to register below; enqueue it in the transaction that decides it through
// a queue function like webhook_queue (River's InsertTx would need River's
// role inside a tenant's transaction, which it never has). A periodic job
// goes in periodicJobs.
//
// Upgrading River: the queue functions and the outbox's mover write
// river_job rows the way River's insert did in the pinned release, so
// TestRiverVersionPinned fails on any other. Check their INSERTs against the
// new release's insert, run TestSQLQueuedJobsAsRiverReadsThem and
// TestJobsOutboxQueuedAsRiverReadsThem (they read the jobs back through
// River's client), then move the pin (migrations/README.md, "Upgrading
// River").
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/models"
)

// The queues: webhook deliveries wait on the network, so they get their
// own workers and never hold up the rest (and so does the outbox's mover,
// queueOutbox).
const (
	queueDefault  = river.QueueDefault
	queueWebhooks = "webhooks"
)

// A delivery mostly waits on the receiver (up to 10 s); its database work
// is two short transactions from the shared pool. River fetches at most
// this many at a time, every 100 ms: 20 workers capped bench/webhooks at
// 116/s, 100 gave 244/s. A tenant gets a tenth of them: its slow receivers
// hold at most that many, and the rest go to the other tenants.
const (
	defaultWebhookWorkers      = 100
	defaultDeliveriesPerTenant = 10
)

// Config is what the jobs need from the process.
type Config struct {
	// DB is the application's pool, for tenant transactions.
	DB *gorm.DB
	// Pool is River's own pool, from OpenPool.
	Pool *pgxpool.Pool
	// Secrets opens the webhook signing secrets.
	Secrets *secretbox.Box
	// Render gives a webhook message's data: the API's JSON of its object.
	Render models.WebhookRenderer
	// Policy says which addresses webhooks may reach.
	Policy safehttp.Policy
	// RetrySchedule is the wait before each retry of a failed delivery;
	// after the last, the delivery has failed (WEBHOOK_RETRY_SCHEDULE).
	RetrySchedule []time.Duration
	// Now is the clock (time.Now outside tests).
	Now func() time.Time
	// FetchPollInterval is how often an idle worker looks for jobs that
	// arrived without a notification; River's default when zero.
	FetchPollInterval time.Duration
	// ExpiryInterval is how often reward and invitation expiry run; a minute
	// when zero.
	ExpiryInterval time.Duration
	// RetentionInterval is how often retention runs (retention.go), and
	// the purge of deleted accounts (tenant_purge.go); an hour when zero.
	RetentionInterval time.Duration
	// FulfilmentBackoff is the wait before the retry of a failed Stripe
	// fulfilment's attempt-th run; River's default (attempt⁴ seconds, with
	// jitter) when nil.
	FulfilmentBackoff func(attempt int) time.Duration
	// StripeAPIBase overrides Stripe's URL for reward fulfilment
	// (STRIPE_API_BASE; tests point it at stripe-mock).
	StripeAPIBase string
	// Logger receives River's and the workers' logs.
	Logger *slog.Logger
	// WebhookWorkers is how many deliveries a process sends at once, and
	// DeliveriesPerTenant how many of them may be one tenant's; 100 and 10
	// when zero.
	WebhookWorkers, DeliveriesPerTenant int
}

// Runner is the running River client.
type Runner struct {
	client *river.Client[pgx.Tx]
}

// New builds the River client with every worker and periodic job.
func New(cfg Config) (*Runner, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if len(cfg.RetrySchedule) == 0 {
		cfg.RetrySchedule = DefaultRetrySchedule
	}
	if cfg.ExpiryInterval == 0 {
		cfg.ExpiryInterval = time.Minute
	}
	if cfg.RetentionInterval == 0 {
		cfg.RetentionInterval = time.Hour
	}
	if cfg.WebhookWorkers == 0 {
		cfg.WebhookWorkers = defaultWebhookWorkers
	}
	if cfg.DeliveriesPerTenant == 0 {
		cfg.DeliveriesPerTenant = defaultDeliveriesPerTenant
	}
	if cfg.Secrets == nil || cfg.Render == nil || cfg.DB == nil || cfg.Pool == nil {
		return nil, errors.New("jobs: DB, Pool, Secrets and Render are required")
	}
	workers := river.NewWorkers()
	register(workers, cfg)
	client, err := river.NewClient(riverpgxv5.New(cfg.Pool), &river.Config{
		Queues: map[string]river.QueueConfig{
			queueDefault:  {MaxWorkers: 4},
			queueWebhooks: {MaxWorkers: cfg.WebhookWorkers},
			queueOutbox:   {MaxWorkers: 1},
		},
		Workers:           workers,
		PeriodicJobs:      periodicJobs(cfg),
		FetchPollInterval: cfg.FetchPollInterval,
		// Reindexing needs the owner of River's tables, and River runs as
		// tandem_jobs; the owner reindexes, if ever needed, like any table.
		ReindexerIndexNames: []string{},
		Logger:              cfg.Logger,
		// Longer than a delivery's timeout, with time to record it.
		JobTimeout: 30 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{client: client}, nil
}

// register adds every worker. Another kind of job adds its line here.
func register(workers *river.Workers, cfg Config) {
	river.AddWorker(workers, newDeliveryWorker(cfg))
	river.AddWorker(workers, &expiryWorker{cfg: cfg})
	river.AddWorker(workers, &tenantExpiryWorker{cfg: cfg})
	river.AddWorker(workers, &invitationExpiryWorker{cfg: cfg})
	river.AddWorker(workers, &tenantInvitationExpiryWorker{cfg: cfg})
	river.AddWorker(workers, &fulfilmentWorker{cfg: cfg, stripe: stripereward.New(cfg.StripeAPIBase)})
	river.AddWorker(workers, &outboxWorker{cfg: cfg})
	river.AddWorker(workers, &retentionWorker{cfg: cfg})
	river.AddWorker(workers, &tenantRetentionWorker{cfg: cfg})
	river.AddWorker(workers, &campaignMigrationWorker{cfg: cfg})
	river.AddWorker(workers, &purgeWorker{cfg: cfg})
}

// periodicJobs are the jobs River's elected leader inserts on a schedule:
// one machine at a time, whatever the number of machines.
func periodicJobs(cfg Config) []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(cfg.ExpiryInterval),
			func() (river.JobArgs, *river.InsertOpts) { return expiryArgs{}, nil },
			&river.PeriodicJobOpts{ID: "reward_expiry", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(cfg.ExpiryInterval),
			func() (river.JobArgs, *river.InsertOpts) { return invitationExpiryArgs{}, nil },
			&river.PeriodicJobOpts{ID: "invitation_expiry", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(outboxInterval),
			func() (river.JobArgs, *river.InsertOpts) { return outboxArgs{}, nil },
			&river.PeriodicJobOpts{ID: "job_outbox_move", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(cfg.RetentionInterval),
			func() (river.JobArgs, *river.InsertOpts) { return retentionArgs{}, nil },
			&river.PeriodicJobOpts{ID: "retention", RunOnStart: true}),
		// Deleted accounts are looked for as often as retention runs.
		river.NewPeriodicJob(river.PeriodicInterval(cfg.RetentionInterval),
			func() (river.JobArgs, *river.InsertOpts) { return purgeArgs{}, nil },
			&river.PeriodicJobOpts{ID: "tenant_purge", RunOnStart: true}),
	}
}

// Start starts working jobs; it returns once the client runs.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	countOutcomes(r.client)
	return nil
}

// Stop stops fetching jobs and waits for those running until ctx ends;
// then it cancels them (a delivery cut short is retried, by this or
// another machine) and waits up to cancelWait more for them to return.
func (r *Runner) Stop(ctx context.Context, cancelWait time.Duration) error {
	err := r.client.Stop(ctx)
	if err == nil {
		return nil
	}
	cancelled, cancel := context.WithTimeout(context.Background(), cancelWait)
	defer cancel()
	if err2 := r.client.StopAndCancel(cancelled); err2 != nil {
		return fmt.Errorf("jobs: stop: %w", errors.Join(err, err2))
	}
	return nil
}
