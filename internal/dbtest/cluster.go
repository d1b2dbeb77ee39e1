package dbtest

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/tandemhq/tandem/internal/pgcluster"
)

// StartCluster starts a throwaway, non-durable cluster in a temporary
// directory on a free port. stop shuts it down and removes the directory.
func StartCluster(ctx context.Context) (c *pgcluster.Cluster, stop func() error, err error) {
	// Not under a 0700 parent such as t.TempDir: as root the cluster runs as
	// the postgres user, who must reach the directory.
	dir, err := os.MkdirTemp("", "tandem-pg-")
	if err != nil {
		return nil, nil, fmt.Errorf("dbtest: %w", err)
	}
	c, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fast: true})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	stop = func() error {
		return errors.Join(c.Stop(), os.RemoveAll(dir))
	}
	return c, stop, nil
}
