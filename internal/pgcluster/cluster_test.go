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
	got := c.socketDir()
	if got == c.Dir || len(got)+len("/.s.PGSQL.5432.lock") > 107 {
		t.Errorf("socketDir() = %q, want a short directory of its own", got)
	}
	if again := c.socketDir(); again != got {
		t.Errorf("socketDir() = %q, then %q: want the same directory every time", got, again)
	}
}

// Nothing is trusted by address: the superuser comes in only over the
// socket, every other role only with its password.
func TestNothingTrusted(t *testing.T) {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "pgcluster-auth-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	c, err := Start(ctx, Options{Dir: tmp, Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })

	var one int
	query(t, c.URL("postgres"), "SELECT 1", &one)
	execSQL(t, c.URL("postgres"), "CREATE ROLE app LOGIN PASSWORD 'app secret'")
	query(t, c.TCPURL("app", "app secret", "postgres"), "SELECT 1", &one)

	refused := map[string]string{
		"the superuser over TCP, no password":   c.TCPURL("postgres", "", "postgres"),
		"the superuser over TCP, any password":  c.TCPURL("postgres", "guess", "postgres"),
		"a role over TCP with a wrong password": c.TCPURL("app", "guess", "postgres"),
		"a role over the socket, no password":   strings.Replace(c.URL("postgres"), "postgres@", "app@", 1),
	}
	for name, url := range refused {
		if conn, err := pgx.Connect(ctx, url); err == nil {
			conn.Close(ctx)
			t.Errorf("%s: connected", name)
		} else if !strings.Contains(err.Error(), "authentication failed") && !strings.Contains(err.Error(), "password") {
			t.Errorf("%s: %v; want an authentication failure", name, err)
		}
	}
}

func execSQL(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
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
