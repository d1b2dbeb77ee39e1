package models_test

// The migrator's promise: a database migrated from nothing and one migrated
// from the last release whose versioned migrations still defined the
// functions end with the same schema, and the functions and triggers of any
// database are made exactly those of migrations/functions and
// migrations/triggers.

import (
	"archive/tar"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"io/fs"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/schemadump"
	"github.com/tandemhq/tandem/models"
)

// lastVersionedFunctions is the last commit of main whose migrations
// defined the functions and triggers in the versioned files: databases in
// use were migrated by it.
const lastVersionedFunctions = "33e538418c06a34f3610c015c081049fc993a0da"

func TestMigrateFromLastVersionedFunctionsMatchesFresh(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	old := oldMigrations(t, lastVersionedFunctions)

	freshURL := newDatabase(t, "fresh")
	migrate(t, freshURL)

	upgradedURL := newDatabase(t, "upgraded")
	db := openSQL(t, upgradedURL)
	migrateAsBefore(t, ctx, db, old)
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	sameSchema(t, dump(t, freshURL), dump(t, upgradedURL))
}

// TestMigrateRepairsFunctionsAndTriggers: a second run replaces no trigger
// (each file prints as PostgreSQL prints it), and a run after a function
// or trigger was added, changed or dropped by hand restores the schema.
func TestMigrateRepairsFunctionsAndTriggers(t *testing.T) {
	ctx := context.Background()
	url := newDatabase(t, "repair")
	migrate(t, url)
	want := dump(t, url)
	db := openSQL(t, url)

	before := triggerOIDs(t, db)
	migrate(t, url)
	if after := triggerOIDs(t, db); after != before {
		t.Errorf("a second migration replaced triggers: a trigger file differs from pg_get_triggerdef's text\nbefore %s\nafter  %s", before, after)
	}

	for _, stmt := range []string{
		`CREATE FUNCTION stray() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
		`CREATE TRIGGER stray AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION stray()`,
		`CREATE FUNCTION forbid_change(n integer) RETURNS integer LANGUAGE sql AS 'SELECT n'`,
		`CREATE OR REPLACE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
		`DROP TRIGGER events_append_only ON events`,
		`DROP TRIGGER tenants_start_free ON tenants`,
		`CREATE TRIGGER tenants_start_free AFTER INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION tenants_start_free()`,
		`DROP TRIGGER invitations_rollup_insert ON invitations`,
		`CREATE CONSTRAINT TRIGGER invitations_rollup_insert AFTER INSERT ON invitations FOR EACH ROW EXECUTE FUNCTION invitations_rollup()`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	migrate(t, url)
	sameSchema(t, want, dump(t, url))
}

// oldMigrations reads the migrations directory of commit from git.
func oldMigrations(t *testing.T, commit string) fstest.MapFS {
	t.Helper()
	cmd := exec.Command("git", "archive", "--format=tar", commit+":migrations")
	cmd.Dir = ".." // git archive runs from the top of the work tree
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("git archive %s: %v: %s (the test needs main's history: git fetch --unshallow)", commit, err, exit.Stderr)
		}
		t.Fatalf("git archive %s: %v", commit, err)
	}
	files := fstest.MapFS{}
	r := tar.NewReader(bytes.NewReader(out))
	for {
		h, err := r.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = &fstest.MapFile{Data: data}
	}
}

// migrateAsBefore migrates db as the migrator of old did: its goose
// migrations, River's, then its privilege files.
func migrateAsBefore(t *testing.T, ctx context.Context, db *sql.DB, old fstest.MapFS) {
	t.Helper()
	versioned := fstest.MapFS{}
	for name, f := range old {
		if !strings.Contains(name, "/") && strings.HasSuffix(name, ".sql") {
			versioned[name] = f
		}
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, versioned)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatal(err)
	}
	migrator, err := rivermigrate.New(riverdatabasesql.New(db), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"always/river.sql", "always/database_privileges.sql"} {
		text, err := fs.ReadFile(old, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(text)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// newDatabase creates an empty database on the tests' cluster, dropped at
// the end of the test, and returns its owner URL.
func newDatabase(t *testing.T, name string) string {
	t.Helper()
	name = env.Name + "_" + name
	if err := env.Owner.Exec(`CREATE DATABASE ` + name).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Owner.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`).Error; err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(env.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path, u.RawPath = "/"+name, ""
	return u.String()
}

func openSQL(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := database.OpenSQL(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func migrate(t *testing.T, url string) {
	t.Helper()
	db, err := database.OpenSQL(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := models.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

func dump(t *testing.T, url string) string {
	t.Helper()
	s, err := schemadump.Dump(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func triggerOIDs(t *testing.T, db *sql.DB) string {
	t.Helper()
	var oids string
	if err := db.QueryRow(`SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_trigger WHERE NOT tgisinternal`).Scan(&oids); err != nil {
		t.Fatal(err)
	}
	return oids
}

// sameSchema fails with the first lines where the two dumps part.
func sameSchema(t *testing.T, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		if i >= len(w) || i >= len(g) || w[i] != g[i] {
			t.Fatalf("schemas differ at line %d:\nwant: %s\ngot:  %s", i+1, strings.Join(w[i:min(i+8, len(w))], "\n      "), strings.Join(g[i:min(i+8, len(g))], "\n      "))
		}
	}
}
