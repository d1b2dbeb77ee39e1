package models

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/tandemhq/tandem/migrations"
)

// applyCode makes the schema's functions and triggers exactly those of
// migrations/functions and migrations/triggers, in one transaction: a file
// that fails leaves the database as it was.
//
// Every function is replaced on every run (CREATE OR REPLACE locks no
// table). A trigger is replaced only where the database's differs from its
// file, because replacing one locks its table against writes. What no file
// defines any more (a function whose signature changed, a trigger taken
// out) is dropped, so that a database migrated from any earlier version
// ends with the same functions and triggers as a new one.
func applyCode(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate functions: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// pg_get_triggerdef names functions unqualified only where public
	// comes first, as the trigger files do. On Citus, a trigger on a
	// distributed table is allowed only with enable_unsafe_triggers
	// (migrations/always/citus.sql says why); elsewhere the setting is an
	// unused placeholder.
	// ALTER FUNCTION … OWNER TO needs CREATE on the schema for the new
	// owner, which the roles hold only for the length of this transaction.
	// Each its own statement: Citus sends a DDL statement's whole query
	// text to the workers.
	for _, stmt := range []string{
		`SET LOCAL search_path = public, pg_temp`,
		`SET LOCAL citus.enable_unsafe_triggers = on`,
		`GRANT CREATE ON SCHEMA public TO tandem_definer, tandem_referee`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migrate functions: %w", err)
		}
	}
	if err := execFiles(ctx, tx, migrations.Functions, "functions"); err != nil {
		return err
	}
	if err := syncTriggers(ctx, tx); err != nil {
		return err
	}
	if err := dropStaleFunctions(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `REVOKE CREATE ON SCHEMA public FROM tandem_definer, tandem_referee`); err != nil {
		return fmt.Errorf("migrate functions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate functions: %w", err)
	}
	return nil
}

// execFiles runs every file of dir in name order, each as one statement
// list.
func execFiles(ctx context.Context, tx *sql.Tx, fsys fs.FS, dir string) error {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return fmt.Errorf("migrate %s: %w", dir, err)
	}
	for _, name := range names {
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(text)); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// dropStaleFunctions drops the functions of the schema that no file of
// migrations/functions defined in this transaction: CREATE OR REPLACE
// rewrites a function's catalog row, so a row this transaction did not
// write belongs to a function no file defines (River's are River's, and
// kept). DROP without CASCADE: a function a table still uses fails the
// migration rather than taking the table's default or policy with it.
func dropStaleFunctions(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT p.oid::regprocedure::text
		FROM pg_proc p
		WHERE p.pronamespace = 'public'::regnamespace
		  AND p.xmin <> pg_current_xact_id()::xid
		  AND p.proname NOT LIKE 'river\_%'
		  AND NOT EXISTS (SELECT FROM pg_depend d
		                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`)
	if err != nil {
		return fmt.Errorf("migrate functions: stale: %w", err)
	}
	stale, err := scanStrings(rows)
	if err != nil {
		return fmt.Errorf("migrate functions: stale: %w", err)
	}
	for _, fn := range stale {
		if _, err := tx.ExecContext(ctx, `DROP FUNCTION `+fn); err != nil {
			return fmt.Errorf("migrate functions: drop %s, which no file defines: %w", fn, err)
		}
	}
	return nil
}

// triggerHead reads a trigger's name and table from its definition.
var triggerHead = regexp.MustCompile(`^CREATE (?:CONSTRAINT )?TRIGGER (\S+) .*? ON (\S+) `)

// syncTriggers creates each trigger of migrations/triggers that is missing,
// replaces each whose definition differs from its file, and drops the
// triggers of the schema's tables that no file names (River's tables are
// River's, and their triggers kept).
func syncTriggers(ctx context.Context, tx *sql.Tx) error {
	names, err := fs.Glob(migrations.Triggers, "triggers/*.sql")
	if err != nil {
		return fmt.Errorf("migrate triggers: %w", err)
	}
	keep := map[string]bool{}
	for _, name := range names {
		text, err := fs.ReadFile(migrations.Triggers, name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		for _, def := range triggerDefs(string(text)) {
			key, err := syncTrigger(ctx, tx, def)
			if err != nil {
				return fmt.Errorf("migrate %s: %w", name, err)
			}
			keep[key] = true
		}
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT format('%I ON %s', t.tgname, t.tgrelid::regclass)
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'river\_%'`)
	if err != nil {
		return fmt.Errorf("migrate triggers: %w", err)
	}
	present, err := scanStrings(rows)
	if err != nil {
		return fmt.Errorf("migrate triggers: %w", err)
	}
	for _, trigger := range present {
		if keep[trigger] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+trigger); err != nil {
			return fmt.Errorf("migrate triggers: drop %s, which no file defines: %w", trigger, err)
		}
	}
	return nil
}

// syncTrigger makes one trigger what def says and returns it as
// "name ON table", the way syncTriggers lists the database's.
func syncTrigger(ctx context.Context, tx *sql.Tx, def string) (string, error) {
	m := triggerHead.FindStringSubmatch(def)
	if m == nil {
		return "", fmt.Errorf("not a trigger definition: %.60s", def)
	}
	var key string
	var current sql.NullString
	err := tx.QueryRowContext(ctx, `
		SELECT format('%I ON %s', $1::text, $2::regclass),
		       (SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = $2::regclass AND tgname = $1)`,
		m[1], m[2]).Scan(&key, &current)
	if err != nil {
		return "", fmt.Errorf("trigger %s: %w", m[1], err)
	}
	if current.String == def {
		return key, nil
	}
	if current.Valid {
		// CREATE OR REPLACE cannot replace a constraint trigger.
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+key); err != nil {
			return "", fmt.Errorf("trigger %s: %w", key, err)
		}
	}
	if _, err := tx.ExecContext(ctx, def); err != nil {
		return "", fmt.Errorf("trigger %s: %w", key, err)
	}
	return key, nil
}

// triggerDefs splits a trigger file into its statements, comments dropped
// and whitespace collapsed, as pg_get_triggerdef prints them. A trigger
// definition holds no semicolon, so each ends at one.
func triggerDefs(text string) []string {
	var code strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			code.WriteString(line + "\n")
		}
	}
	var defs []string
	for _, stmt := range strings.Split(code.String(), ";") {
		if def := strings.Join(strings.Fields(stmt), " "); def != "" {
			defs = append(defs, def)
		}
	}
	return defs
}

func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
