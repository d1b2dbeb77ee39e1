// Command schemasql writes docs/schema.sql: the schema of a database
// migrated from nothing on a throwaway cluster, as internal/schemadump
// prints it. `make test` runs it and fails when the committed file differs,
// so every change to the schema shows up in review as a diff of one file.
//
//	go run ./internal/schemasql [-o docs/schema.sql]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/schemadump"
	"github.com/tandemhq/tandem/models"
)

func main() {
	out := flag.String("o", "docs/schema.sql", "the file to write")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *out); err != nil {
		fmt.Fprintln(os.Stderr, "schemasql:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string) (err error) {
	c, stop, err := dbtest.StartCluster(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stop()) }()
	if err := c.CreateDatabase(ctx, "tandem", ""); err != nil {
		return err
	}
	url := c.URL("tandem")
	db, err := database.OpenSQL(url)
	if err != nil {
		return err
	}
	err = models.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	schema, err := schemadump.Dump(ctx, url)
	if err != nil {
		return err
	}
	header := "-- The schema of a database migrated from nothing (go run ./internal/schemasql).\n" +
		"-- Generated: edit migrations/, never this file; make test fails when it is stale.\n\n"
	return os.WriteFile(out, []byte(header+schema), 0o644)
}
