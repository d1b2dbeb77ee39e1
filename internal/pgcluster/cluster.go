// Package pgcluster starts, or reuses, a local PostgreSQL cluster from the
// server binaries installed on the machine. It backs `tandem serve` when no
// DATABASE_URL is given and the throwaway clusters of the tests.
package pgcluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	// Settings are extra server settings ("name=value") for this start,
	// such as the shared_preload_libraries of a Citus node.
	Settings []string
}

// Cluster is a running local PostgreSQL server. Nothing is trusted by
// address: its superuser "postgres" connects only over the unix socket, as
// the operating-system user who started the cluster (peer authentication),
// and every other role with a password (SCRAM), over the socket or TCP on
// 127.0.0.1. The socket lives in a directory only the server's user (and
// root) can enter.
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
	if err := c.writeAuthConfig(); err != nil {
		return nil, err
	}
	if port, ok := c.runningPort(ctx); ok {
		c.Port = port
		// A cluster of an older Tandem may still trust local TCP: the new
		// rules take effect now.
		if out, err := c.command(ctx, "pg_ctl", "reload", "-D", c.Dir).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("pgcluster: reload: %w: %s", err, bytes.TrimSpace(out))
		}
		return c, nil
	}
	if c.Port == 0 {
		if c.Port, err = FreePort(); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx, opts.Fast, opts.Settings); err != nil {
		return nil, err
	}
	c.started = true
	return c, nil
}

// URL returns the superuser's connection URL to database dbname, over the
// unix socket.
func (c *Cluster) URL(dbname string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d&sslmode=disable",
		url.PathEscape(dbname), url.QueryEscape(c.socketDir()), c.Port)
}

// TCPURL returns the URL of role user, logging in with password over TCP,
// to database dbname.
func (c *Cluster) TCPURL(user, password, dbname string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(user, password), Host: "127.0.0.1:" + strconv.Itoa(c.Port),
		Path: "/" + dbname, RawQuery: "sslmode=disable"}
	return u.String()
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
	// writeAuthConfig replaces initdb's authentication rules before the
	// first start; these only name what initdb itself may do.
	args := []string{"-D", c.Dir, "--auth-local=peer", "--auth-host=scram-sha-256", "-U", "postgres", "--encoding=UTF8", "--locale=C"}
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
	uid, gid, err := postgresIDs()
	if err != nil {
		return err
	}
	return wrap("chown data dir", os.Chown(c.Dir, uid, gid))
}

// postgresIDs are the user and group ids of the postgres user.
func postgresIDs() (uid, gid int, err error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return 0, 0, wrap("running as root needs the postgres user", err)
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
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

// hbaConf admits the superuser over the socket only, as the OS user the
// "owner" map of identConf names, and every other role with a password.
const hbaConf = `# Written by Tandem (internal/pgcluster) at every start: nothing is trusted.
local all postgres peer map=owner
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
host  all all ::1/128 scram-sha-256
`

// writeAuthConfig writes the cluster's pg_hba.conf and pg_ident.conf: the
// OS user running this process (and postgres, the server's own) may log in
// as the superuser "postgres" over the socket.
func (c *Cluster) writeAuthConfig() error {
	me, err := user.Current()
	if err != nil {
		return wrap("current user", err)
	}
	ident := "# Written by Tandem (internal/pgcluster) at every start.\nowner postgres postgres\n"
	if me.Username != "postgres" {
		ident += "owner " + me.Username + " postgres\n"
	}
	if err := c.writeConfigFile("pg_hba.conf", hbaConf); err != nil {
		return err
	}
	return c.writeConfigFile("pg_ident.conf", ident)
}

// writeConfigFile writes a file the server reads; as root, it is handed to
// the postgres user.
func (c *Cluster) writeConfigFile(name, content string) error {
	path := filepath.Join(c.Dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return wrap("write "+name, err)
	}
	if !c.asPostgres {
		return nil
	}
	uid, gid, err := postgresIDs()
	if err != nil {
		return err
	}
	return wrap("chown "+name, os.Chown(path, uid, gid))
}

func (c *Cluster) start(ctx context.Context, fast bool, extra []string) error {
	if err := c.makeSocketDir(); err != nil {
		return err
	}
	settings := []string{
		"listen_addresses=127.0.0.1",
		"max_connections=200",
		"unix_socket_directories=" + c.socketDir(),
	}
	if fast {
		settings = append(settings, "fsync=off", "synchronous_commit=off", "full_page_writes=off")
	}
	settings = append(settings, extra...)
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

// socketDir keeps the unix socket in the data directory (mode 0700, so only
// the server's user and root reach it), away from the system cluster's
// /var/run/postgresql. A data directory too deep for a socket path gets a
// short directory of its own under /tmp, just as closed.
func (c *Cluster) socketDir() string {
	const maxSocketPath = 107
	if len(c.Dir)+len("/.s.PGSQL.")+len(strconv.Itoa(c.Port))+len(".lock") <= maxSocketPath {
		return c.Dir
	}
	sum := sha256.Sum256([]byte(c.Dir))
	return filepath.Join(os.TempDir(), "tandem-pg-"+hex.EncodeToString(sum[:6]))
}

// makeSocketDir creates the short socket directory when socketDir needs one.
func (c *Cluster) makeSocketDir() error {
	dir := c.socketDir()
	if dir == c.Dir {
		return nil
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return wrap("create socket dir", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return wrap("create socket dir", err)
	}
	if !c.asPostgres {
		return nil
	}
	uid, gid, err := postgresIDs()
	if err != nil {
		return err
	}
	return wrap("chown socket dir", os.Chown(dir, uid, gid))
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
