package ingestbench

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/tandemhq/tandem/models"
)

// Config is the shape of a run, the same flags in every benchmark.
type Config struct {
	Clients      int
	Events       int
	BatchClients int
	BatchEvents  int
	BatchSize    int
	Guests       int
	PerHost      int
	Rounds       int
	MaxRun       time.Duration
	Fast         bool
}

// RegisterFlags defines the flags of Config on fs, with their defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.Clients, "clients", 8, "concurrent clients for single events")
	fs.IntVar(&c.Events, "events", 20_000, "single events per side")
	fs.IntVar(&c.BatchClients, "batch-clients", 2, "concurrent clients for batches")
	fs.IntVar(&c.BatchEvents, "batch-events", 200_000, "batched events per side")
	fs.IntVar(&c.BatchSize, "batch-size", models.MaxBatchEvents, "events per batch")
	fs.IntVar(&c.Guests, "guests", 2000, "claimed invitations (guests) per cohort")
	fs.IntVar(&c.PerHost, "per-host", 5, "invitations per host")
	fs.IntVar(&c.Rounds, "rounds", 4, "slices each side's work is cut into, the sides taking turns")
	fs.DurationVar(&c.MaxRun, "max-run", 90*time.Second, "time cap of each side of each run, all rounds")
	fs.BoolVar(&c.Fast, "fast", false, "throwaway cluster without durability (fsync=off); ignored with DATABASE_URL")
}

// Check rejects shapes the runs cannot honour.
func (c Config) Check() error {
	switch {
	case c.Clients < 1 || c.BatchClients < 1:
		return errors.New("-clients and -batch-clients must be at least 1")
	case c.Rounds < 1:
		return errors.New("-rounds must be at least 1")
	case c.Events < c.Clients*c.Rounds || c.BatchEvents < c.BatchSize*c.BatchClients*c.Rounds:
		return errors.New("-events and -batch-events must give every client at least one transaction per round")
	case c.BatchSize < 2 || c.BatchSize > models.MaxBatchEvents:
		return fmt.Errorf("-batch-size must be between 2 and %d", models.MaxBatchEvents)
	case c.PerHost < 1 || c.Guests < c.PerHost || c.Guests%c.PerHost != 0:
		return errors.New("-guests must be a multiple of -per-host")
	case c.Guests%7 == 0:
		return errors.New("-guests must not be a multiple of 7 (batches stride through the guests by 7)")
	}
	return nil
}
