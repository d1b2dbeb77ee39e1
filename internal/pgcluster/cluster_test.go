package pgcluster

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestFindBinDir(t *testing.T) {
	dir, err := FindBinDir()
	if err != nil {
		t.Fatal(err)
	}
	if !isFile(filepath.Join(dir, "postgres")) {
		t.Fatalf("%s has no postgres binary", dir)
	}
	if strings.Contains(errNoBinaries.Error(), "\n") {
		t.Fatal("the missing-binaries error must be one line")
	}
}

func TestStartReuseStop(t *testing.T) {
	ctx := context.Background()
	// Not t.TempDir: its parent is closed to the postgres user when we
	// run as root.
	tmp, err := os.MkdirTemp("", "pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })

	c, err := Start(ctx, Options{Dir: tmp, Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })

	for range 2 { // the second call finds the database and does nothing
		if err := c.CreateDatabase(ctx, "copy", "template1"); err != nil {
			t.Fatal(err)
		}
	}
	var fsync string
	query(t, c.URL("copy"), "SHOW fsync", &fsync)
	if fsync != "off" {
		t.Errorf("fsync = %s, want off", fsync)
	}

	again, err := Start(ctx, Options{Dir: tmp, Port: c.Port + 1})
	if err != nil {
		t.Fatal(err)
	}
	if again.Port != c.Port {
		t.Errorf("reused cluster port = %d, want %d", again.Port, c.Port)
	}
	if err := again.Stop(); err != nil {
		t.Fatal(err)
	}
	var one int
	query(t, c.URL("postgres"), "SELECT 1", &one) // still up: Stop of a reused cluster is a no-op

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := pgx.Connect(ctx, c.URL("postgres")); err == nil {
		t.Fatal("server still accepts connections after Stop")
	}
}

func TestSocketDirTooLong(t *testing.T) {
	c := &Cluster{Dir: "/" + strings.Repeat("d", 100), Port: 5432}
	if got := c.socketDir(); got != "" {
		t.Errorf("socketDir() = %q, want none for a path too long", got)
	}
}

func query(t *testing.T, url, sql string, dest any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), sql).Scan(dest); err != nil {
		t.Fatal(err)
	}
}
