package pgcluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// errNoCitus is one line, like errNoBinaries: it says what to install.
var errNoCitus = errors.New("pgcluster: the Citus extension is not installed into this PostgreSQL; run ../shared/citus/install.sh here, or install Citus's own package (postgresql-15-citus-13.2)")

// CitusInstalled reports, as nil, whether the PostgreSQL FindBinDir picks
// can load Citus: its library and its control file are both needed.
func CitusInstalled() error {
	bin, err := FindBinDir()
	if err != nil {
		return err
	}
	dirs := map[string]string{}
	for _, what := range []string{"--pkglibdir", "--sharedir"} {
		out, err := exec.Command(filepath.Join(bin, "pg_config"), what).Output()
		if err != nil {
			return fmt.Errorf("pgcluster: pg_config %s: %w", what, err)
		}
		dirs[what] = strings.TrimSpace(string(out))
	}
	if !isFile(filepath.Join(dirs["--pkglibdir"], "citus.so")) ||
		!isFile(filepath.Join(dirs["--sharedir"], "extension", "citus.control")) {
		return errNoCitus
	}
	return nil
}

// CitusCluster is a coordinator and its workers, each a Cluster of its own
// on 127.0.0.1 with Citus preloaded. It is for tests: every start is fresh.
//
// Citus connects from node to node over TCP, where nothing is trusted: the
// superuser "postgres" therefore has a random password on every node,
// which Citus finds in pg_dist_authinfo of each database EnableCitus
// prepares. Every other rule of a single cluster holds.
type CitusCluster struct {
	Coordinator *Cluster
	Workers     []*Cluster

	password string // the superuser's, on every node
}

// citusSettings are what every node needs on top of a single cluster's:
// Citus itself, and a background worker per database with the extension
// (its maintenance daemon), of which a parallel test run has dozens.
var citusSettings = []string{
	"shared_preload_libraries=citus",
	"max_worker_processes=128",
}

// StartCitus starts a coordinator and that many workers in subdirectories of
// dir, each on a free port. Stop stops them all.
func StartCitus(ctx context.Context, dir string, workers int, fast bool) (*CitusCluster, error) {
	if err := CitusInstalled(); err != nil {
		return nil, err
	}
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return nil, wrap("superuser password", err)
	}
	// The nodes' own directories are closed (0700); this one only holds
	// them, and as root the postgres user must pass through it.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, wrap("citus dir", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, wrap("citus dir", err)
	}
	cc := &CitusCluster{password: hex.EncodeToString(b)}
	names := []string{"coordinator"}
	for i := range workers {
		names = append(names, "worker"+strconv.Itoa(i+1))
	}
	for _, name := range names {
		c, err := Start(ctx, Options{Dir: filepath.Join(dir, name), Fast: fast, Settings: citusSettings})
		if err == nil && !c.started {
			err = fmt.Errorf("pgcluster: %s: a server already runs on %s; a Citus cluster starts fresh", name, c.Dir)
		}
		if err != nil {
			return nil, errors.Join(err, cc.Stop())
		}
		if cc.Coordinator == nil {
			cc.Coordinator = c
		} else {
			cc.Workers = append(cc.Workers, c)
		}
		// In the maintenance database, which has no Citus extension, so
		// that this stays on this node.
		err = execOn(ctx, c.URL("postgres"), "ALTER ROLE postgres PASSWORD "+quoteLiteral(cc.password))
		if err != nil {
			return nil, errors.Join(fmt.Errorf("pgcluster: %s: %w", name, err), cc.Stop())
		}
	}
	return cc, nil
}

// Nodes are the coordinator, then the workers.
func (cc *CitusCluster) Nodes() []*Cluster {
	return append([]*Cluster{cc.Coordinator}, cc.Workers...)
}

// CreateDatabase creates database name on every node, as
// Cluster.CreateDatabase does on one.
func (cc *CitusCluster) CreateDatabase(ctx context.Context, name, template string) error {
	for _, c := range cc.Nodes() {
		if err := c.CreateDatabase(ctx, name, template); err != nil {
			return err
		}
	}
	return nil
}

// EnableCitus creates the Citus extension in database dbname on every node
// (which must all have it), tells each node the superuser's password for
// the others, and registers the coordinator and the workers. Running it
// again changes nothing.
func (cc *CitusCluster) EnableCitus(ctx context.Context, dbname string) error {
	// nodeid 0: for connections to any node.
	authinfo := `INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, 'postgres', ` +
		quoteLiteral("password="+cc.password) + `) ON CONFLICT (nodeid, rolename) DO UPDATE SET authinfo = EXCLUDED.authinfo`
	for _, c := range cc.Nodes() {
		if err := execOn(ctx, c.URL(dbname), "CREATE EXTENSION IF NOT EXISTS citus", authinfo); err != nil {
			return fmt.Errorf("pgcluster: citus on port %d: %w", c.Port, err)
		}
	}
	// The coordinator is in the metadata too: reference tables get a copy
	// on it, and local tables may then reference them.
	sqls := []string{fmt.Sprintf("SELECT citus_set_coordinator_host('127.0.0.1', %d)", cc.Coordinator.Port)}
	for _, w := range cc.Workers {
		sqls = append(sqls, fmt.Sprintf(
			"SELECT citus_add_node('127.0.0.1', %d) WHERE NOT EXISTS (SELECT FROM pg_dist_node WHERE nodeport = %[1]d)", w.Port))
	}
	return wrap("register nodes", execOn(ctx, cc.Coordinator.URL(dbname), sqls...))
}

// Stop stops every node that started, each in its own directory, which it
// leaves in place.
func (cc *CitusCluster) Stop() error {
	var errs []error
	for _, c := range cc.Nodes() {
		if c != nil {
			errs = append(errs, c.Stop())
		}
	}
	return errors.Join(errs...)
}

func execOn(ctx context.Context, url string, sqls ...string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, sql := range sqls {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	return nil
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// GrantCitusLogins gives each role of logins a login with its password on
// every node, and tells Citus the passwords in database dbname of every
// node (pg_dist_authinfo is per database): Citus reaches a worker as the
// current user, which may be any role a statement runs as (docs/scale.md,
// "Roles on a cluster"). nodes are the superuser URLs of the nodes'
// maintenance databases, where ALTER ROLE stays on its node.
func GrantCitusLogins(ctx context.Context, nodes []string, dbname string, logins map[string]string) error {
	var alter, authinfo []string
	for role, password := range logins {
		alter = append(alter, "ALTER ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN PASSWORD "+quoteLiteral(password))
		authinfo = append(authinfo, "INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, "+
			quoteLiteral(role)+", "+quoteLiteral("password="+password)+") ON CONFLICT (nodeid, rolename) DO UPDATE SET authinfo = EXCLUDED.authinfo")
	}
	for _, node := range nodes {
		u, err := url.Parse(node)
		if err != nil {
			return wrap("node URL", err)
		}
		if err := execOn(ctx, node, strings.Join(alter, "; ")); err != nil {
			return wrap("give Citus's roles a login", err)
		}
		u.Path = "/" + dbname
		if err := execOn(ctx, u.String(), strings.Join(authinfo, "; ")); err != nil {
			return wrap("pg_dist_authinfo in "+dbname, err)
		}
	}
	return nil
}
