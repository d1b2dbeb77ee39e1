// Package pgcluster starts, or reuses, a local PostgreSQL cluster from the
// server binaries installed on the machine. It backs `tandem serve` when no
// DATABASE_URL is given and the throwaway clusters of the tests.
package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Options say where the cluster lives and how it runs.
type Options struct {
	// Dir is the data directory. It is created and initialised when it
	// holds no cluster yet.
	Dir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one.
	Port int
	// Fast turns off durability (fsync, synchronous commit, full page
	// writes). A crash may then corrupt the cluster: for tests only.
	Fast bool
}

// Cluster is a running local PostgreSQL server whose superuser "postgres"
// connects over TCP without a password.
type Cluster struct {
	// Dir is the absolute data directory.
	Dir string
	// Port is the TCP port the server listens on at 127.0.0.1.
	Port int

	bin        string
	asPostgres bool // we are root: PostgreSQL refuses to run as root
	started    bool // false when we reused a server someone else started
}

// Start initialises opts.Dir if needed and starts a server on it. If a
// server already runs on that data directory it is reused, on whatever port
// it listens on, and Stop leaves it running.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: data dir: %w", err)
	}
	c := &Cluster{Dir: dir, Port: opts.Port, bin: bin, asPostgres: os.Geteuid() == 0}
	if err := c.initdb(ctx, opts.Fast); err != nil {
		return nil, err
	}
	if port, ok := c.runningPort(ctx); ok {
		c.Port = port
		return c, nil
	}
	if c.Port == 0 {
		if c.Port, err = FreePort(); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx, opts.Fast); err != nil {
		return nil, err
	}
	c.started = true
	return c, nil
}

// URL returns the superuser's connection URL to database dbname.
func (c *Cluster) URL(dbname string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, url.PathEscape(dbname))
}

// CreateDatabase creates database name, copied from template ("" for the
// default), unless it already exists.
func (c *Cluster) CreateDatabase(ctx context.Context, name, template string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgcluster: create database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil || exists {
		return wrap("create database "+name, err)
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	_, err = conn.Exec(ctx, sql)
	// Another process may have created it since we looked.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" {
		err = nil
	}
	return wrap("create database "+name, err)
}

// Stop shuts the server down if Start started it; a reused server is left
// running for whoever started it.
func (c *Cluster) Stop() error {
	if !c.started {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := c.command(ctx, "pg_ctl", "stop", "-D", c.Dir, "-m", "fast", "-w").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgcluster: stop: %w: %s", err, bytes.TrimSpace(out))
	}
	c.started = false
	return nil
}

func (c *Cluster) initdb(ctx context.Context, fast bool) error {
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); err == nil {
		return nil
	}
	if err := c.makeDir(); err != nil {
		return err
	}
	args := []string{"-D", c.Dir, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C"}
	if fast {
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, "initdb", args...).CombinedOutput()
	if err != nil {
		hint := ""
		if c.asPostgres {
			hint = " (the postgres user must be able to reach " + c.Dir + ")"
		}
		return fmt.Errorf("pgcluster: initdb%s: %w\n%s", hint, err, bytes.TrimSpace(out))
	}
	return nil
}

// makeDir creates the data directory; as root it hands it to the postgres
// user, who will run the server.
func (c *Cluster) makeDir() error {
	if !c.asPostgres {
		return wrap("create data dir", os.MkdirAll(c.Dir, 0o700))
	}
	if err := os.MkdirAll(filepath.Dir(c.Dir), 0o755); err != nil {
		return wrap("create data dir", err)
	}
	if err := os.Mkdir(c.Dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return wrap("create data dir", err)
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return wrap("running as root needs the postgres user", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return wrap("chown data dir", os.Chown(c.Dir, uid, gid))
}

// runningPort reports the port of a server already running on c.Dir.
func (c *Cluster) runningPort(ctx context.Context) (int, bool) {
	if c.command(ctx, "pg_ctl", "status", "-D", c.Dir).Run() != nil {
		return 0, false
	}
	// postmaster.pid: pid, data dir, start time, port, ...
	pid, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(pid), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port, err == nil
}

func (c *Cluster) start(ctx context.Context, fast bool) error {
	settings := []string{
		"listen_addresses=127.0.0.1",
		"max_connections=200",
		"unix_socket_directories=" + c.socketDir(),
	}
	if fast {
		settings = append(settings, "fsync=off", "synchronous_commit=off", "full_page_writes=off")
	}
	// pg_ctl hands -o to a shell, so every argument is quoted for it.
	opts := "-p " + strconv.Itoa(c.Port)
	for _, s := range settings {
		opts += " -c " + shellQuote(s)
	}
	logFile := filepath.Join(c.Dir, "postgres.log")
	out, err := c.command(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.Dir, "-l", logFile, "-o", opts).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgcluster: start on port %d: %w\n%s\n%s", c.Port, err, bytes.TrimSpace(out), tail(logFile, 20))
	}
	return nil
}

// socketDir keeps the unix socket beside the data, away from the system
// cluster's /var/run/postgresql; a path too long for a socket gets none.
func (c *Cluster) socketDir() string {
	const maxSocketPath = 107
	if len(c.Dir)+len("/.s.PGSQL.")+len(strconv.Itoa(c.Port))+len(".lock") > maxSocketPath {
		return ""
	}
	return c.Dir
}

func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.asPostgres {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	// The caller's working directory may be closed to the postgres user.
	cmd.Dir = "/"
	return cmd
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail returns the last n lines of a file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("pgcluster: %s: %w", what, err)
}
