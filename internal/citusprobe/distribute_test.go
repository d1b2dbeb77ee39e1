package citusprobe

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "citusprobe", &env) }

// referenceTables are global, small, and read beside every tenant's rows:
// a full copy on every node.
var referenceTables = []string{"plans", "tenants", "invite_codes"}

// shardCount is the shard count of the co-location group.
const shardCount = 32

// The blocked maps are what Citus answers today, step by step (a table,
// or a foreign key re-created), in the order of
// TestCitusOnlyDistributionBlockers: a distinctive part of its error. A
// step not named succeeds. A change to the schema that lifts (or adds) a
// blocker fails the test, and then these maps and docs/scale.md change
// together.
var (
	blockedAsIs = map[string]string{
		"tenants":                     hasTriggers,
		"api_idempotency":             notColocated,
		"api_keys":                    hasTriggers,
		"api_rate_limits":             notColocated,
		"audit_log":                   identityColumn,
		"campaign_versions":           hasTriggers,
		"campaigns":                   hasTriggers,
		"campaign_day_rollups":        hasTriggers,
		"campaign_reward_rollups":     hasTriggers,
		"campaign_rollups":            hasTriggers,
		"campaign_version_milestones": hasTriggers,
		"event_definitions":           notColocated,
		"campaign_version_steps":      hasTriggers,
		"events":                      hasTriggers,
		"participants":                hasTriggers,
		"host_completions":            hasTriggers,
		"referrer_codes":              notColocated,
		"invitations":                 hasTriggers,
		"members":                     hasTriggers,
		"member_invitations":          hasTriggers,
		"participant_event_names":     hasTriggers,
		"raffle_draws":                hasTriggers,
		"raffle_entries":              hasTriggers,
		"raffle_winners":              hasTriggers,
		"reward_tokens":               hasTriggers,
		"reward_fulfilments":          hasTriggers,
		"stripe_connections":          notColocated,
		"stripe_events":               notColocated,
		"webhook_endpoints":           hasTriggers,
		"webhook_messages":            hasTriggers,
		"webhook_deliveries":          notColocated,
		"webhook_attempts":            notColocated,
		"widget_settings":             notColocated,
		"widget_tokens":               hasTriggers,
	}
	blockedWithTriggers = map[string]string{
		"api_keys":                    fromLocalTable,
		"audit_log":                   identityColumn,
		"campaign_versions":           notColocated,
		"campaigns":                   notColocated,
		"campaign_day_rollups":        notColocated,
		"campaign_reward_rollups":     notColocated,
		"campaign_rollups":            notColocated,
		"campaign_version_milestones": notColocated,
		"event_definitions":           fromLocalTable,
		"campaign_version_steps":      notColocated,
		"participants":                fromLocalTable,
		"host_completions":            notColocated,
		"referrer_codes":              notColocated,
		"invitations":                 notColocated,
		"members":                     fromLocalTable,
		"member_invitations":          notColocated,
		"participant_event_names":     notColocated,
		"raffle_draws":                notColocated,
		"raffle_entries":              notColocated,
		"raffle_winners":              notColocated,
		"reward_tokens":               notColocated,
		"reward_fulfilments":          notColocated,
		"webhook_endpoints":           fromLocalTable,
		"webhook_messages":            fromLocalTable,
		"webhook_deliveries":          notColocated,
		"webhook_attempts":            notColocated,
		"widget_tokens":               notColocated,
	}
	blockedForeignKeysOff = map[string]string{
		"member_invitations_tenant_id_invited_by_fkey": setNullWithKey,
	}
)

// Citus's refusals, in its words.
const (
	hasTriggers    = "because it has triggers"
	notColocated   = "relations are not colocated or not referencing a reference table"
	fromLocalTable = "foreign keys from reference tables and local tables to distributed tables are not supported"
	identityColumn = "cannot complete operation on a table with identity column"
	setNullWithKey = "SET NULL or SET DEFAULT is not supported in ON DELETE operation when distribution key is included"
)

// pass is one way of distributing the schema.
type pass struct {
	name string
	// setting is SET LOCAL before every statement, if any.
	setting string
	// dropForeignKeys drops every foreign key first and re-creates each
	// once every table is placed: Citus refuses a foreign key between a
	// distributed table and a local one, either way round, so one at a
	// time the tables can only be distributed without them.
	dropForeignKeys bool
	blocked         map[string]string
}

// TestCitusOnlyDistributionBlockers runs under `make test-citus` and is
// skipped on a single PostgreSQL (make test). It distributes the migrated
// schema as Citus would hold it, one statement per table, each in its own
// transaction, in the order the foreign keys allow, and compares what
// fails with what fails today, in three passes, each on a database of its
// own, each removing the blocker that hides the others: as Citus comes;
// with the triggers Citus refuses by default allowed; and with the foreign
// keys dropped first and re-created last.
func TestCitusOnlyDistributionBlockers(t *testing.T) {
	if len(dbtest.CitusWorkerURLs()) == 0 {
		t.Skip("needs the Citus cluster of make test-citus (withpg -citus)")
	}
	const unsafeTriggers = "SET LOCAL citus.enable_unsafe_triggers = on"
	for i, p := range []pass{
		{name: "as_is", blocked: blockedAsIs},
		{name: "enable_unsafe_triggers", setting: unsafeTriggers, blocked: blockedWithTriggers},
		{name: "foreign_keys_last", setting: unsafeTriggers, dropForeignKeys: true, blocked: blockedForeignKeysOff},
	} {
		t.Run(p.name, func(t *testing.T) {
			e := env
			if i > 0 {
				var err error
				if e, err = dbtest.Setup("citusprobe_" + p.name); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					if err := e.Close(); err != nil {
						t.Error(err)
					}
				})
			}
			distribute(t, e, p)
		})
	}
}

// step is one statement of a pass, named by the table or the foreign key
// it places (sql empty: a tenant table's create_distributed_table).
type step struct{ name, sql string }

// distribute runs pass p on e's database and compares the failures with
// p.blocked.
func distribute(t *testing.T, e *dbtest.Env, p pass) {
	tenantTables, localTables := tables(t, e)
	t.Logf("left local (no tenant_id): %s", strings.Join(localTables, ", "))

	run := func(sql string) string {
		return errText(e.Owner.Transaction(func(tx *gorm.DB) error {
			if p.setting != "" {
				if err := tx.Exec(p.setting).Error; err != nil {
					return err
				}
			}
			return tx.Exec(sql).Error
		}))
	}
	var foreignKeys []step
	if p.dropForeignKeys {
		var fks []struct{ Table, Name, Def string }
		err := e.Owner.Raw(`
			SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
			  FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace
			 ORDER BY 1, 2`).Scan(&fks).Error
		if err != nil {
			t.Fatal(err)
		}
		for _, fk := range fks {
			if msg := run(fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", fk.Table, fk.Name)); msg != "" {
				t.Fatalf("drop %s: %s", fk.Name, msg)
			}
			foreignKeys = append(foreignKeys, step{fk.Name, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", fk.Table, fk.Name, fk.Def)})
		}
	}

	var steps []step
	for _, table := range referenceTables {
		steps = append(steps, step{table, fmt.Sprintf("SELECT create_reference_table('%s')", table)})
	}
	// A tenant table's statement is written when its turn comes: the first
	// table distributed makes the co-location group, the others join it.
	for _, table := range tenantTables {
		steps = append(steps, step{name: table})
	}
	steps = append(steps, foreignKeys...)
	got := map[string]string{}
	anchor := ""
	for i, s := range steps {
		if s.sql == "" {
			s.sql = fmt.Sprintf("SELECT create_distributed_table('%s', 'tenant_id', shard_count => %d)", s.name, shardCount)
			if anchor != "" {
				s.sql = fmt.Sprintf("SELECT create_distributed_table('%s', 'tenant_id', colocate_with => '%s')", s.name, anchor)
			}
			steps[i] = s
		}
		got[s.name] = run(s.sql)
		if got[s.name] == "" && anchor == "" && strings.Contains(s.sql, "create_distributed_table") {
			anchor = s.name
		}
		outcome := "ok"
		if got[s.name] != "" {
			outcome = "ERROR: " + got[s.name]
		}
		t.Logf("%2d. %s\n    %s", i+1, s.sql, outcome)
	}

	for _, s := range steps {
		want := p.blocked[s.name]
		switch {
		case want == "" && got[s.name] != "":
			t.Errorf("%s: %s; want it placed", s.name, got[s.name])
		case want != "" && !strings.Contains(got[s.name], want):
			t.Errorf("%s: %q; want an error containing %q (update the blocked map and docs/scale.md)", s.name, got[s.name], want)
		}
	}
	for name := range p.blocked {
		if _, ok := got[name]; !ok {
			t.Errorf("the blocked map names %s, which this pass never tries", name)
		}
	}

	// What Citus reports is what the statements said.
	var inMetadata []string
	if err := e.Owner.Raw("SELECT table_name::text FROM citus_tables WHERE citus_table_type IN ('distributed', 'reference')").Scan(&inMetadata).Error; err != nil {
		t.Fatal(err)
	}
	var placed []string
	for _, s := range steps {
		if got[s.name] == "" && !strings.HasPrefix(s.sql, "ALTER TABLE") {
			placed = append(placed, s.name)
		}
	}
	sort.Strings(inMetadata)
	sort.Strings(placed)
	if strings.Join(inMetadata, " ") != strings.Join(placed, " ") {
		t.Errorf("citus_tables holds %v; the statements placed %v", inMetadata, placed)
	}
}

// tables returns the tenant tables (a tenant_id column, not a reference
// table), parents before the tables whose foreign keys point at them, and
// the tables left local.
func tables(t *testing.T, e *dbtest.Env) (tenant, local []string) {
	t.Helper()
	var rows []struct {
		Name      string
		HasTenant bool
	}
	err := e.Owner.Raw(`
		SELECT c.relname AS name,
		       EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS has_tenant
		  FROM pg_class c
		 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		 ORDER BY c.relname`).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	var fks []struct{ Child, Parent string }
	err = e.Owner.Raw(`
		SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
		  FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid`).Scan(&fks).Error
	if err != nil {
		t.Fatal(err)
	}
	parents := map[string][]string{}
	for _, fk := range fks {
		parents[fk.Child] = append(parents[fk.Child], fk.Parent)
	}
	isReference := map[string]bool{}
	for _, r := range referenceTables {
		isReference[r] = true
	}
	isTenant := map[string]bool{}
	for _, r := range rows {
		switch {
		case isReference[r.Name]:
		case r.HasTenant:
			isTenant[r.Name] = true
		default:
			local = append(local, r.Name)
		}
	}
	// Depth-first, so every parent comes before its children; names in
	// alphabetical order make the order the same on every run.
	done := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if done[name] || !isTenant[name] {
			return
		}
		done[name] = true
		ps := append([]string{}, parents[name]...)
		sort.Strings(ps)
		for _, p := range ps {
			visit(p)
		}
		tenant = append(tenant, name)
	}
	for _, r := range rows {
		visit(r.Name)
	}
	return tenant, local
}

// errText is Citus's message, with its detail when it gives one.
func errText(err error) string {
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pgErr) && pgErr.Detail != "":
		return pgErr.Message + " (" + pgErr.Detail + ")"
	case errors.As(err, &pgErr):
		return pgErr.Message
	}
	return err.Error()
}
