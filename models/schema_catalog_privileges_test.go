package models_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/internal/dbtest"
)

// refereeFunctions are the functions that write, as tandem_referee, what
// tandem_app may not write itself (migrations/00012_referee.sql).
var refereeFunctions = []string{"invitations_before_update()", "invitations_rollup()", "record_claim_event(text)",
	"reward_tokens_rollup()", "rollup_deltas_apply()", "webhook_record(uuid,text,text,jsonb)",
	// migrations/00026_stripe_fulfilment.sql: a Stripe reward's fulfilment and its job.
	"reward_tokens_fulfil()",
	// migrations/00037_jobs_are_tenant_data.sql: jobs queued for the transaction's tenant only.
	"webhook_queue(uuid,text[])", "reward_fulfilment_queue(uuid,text)",
	// migrations/00060_campaign_migrations.sql: a migration's job, queued by its row's trigger.
	"campaign_migrations_queue()",
	// migrations/00072: rewards are issued as the referee, whose tokens the issue guard trusts.
	"invitations_completed()",
	// migrations/00025_billing.sql: the tenant's plan moves only with Stripe's events.
	"apply_stripe_event(text,text,timestamp with time zone,text,text,text,text)",
	// migrations/00042: a removed member's team invitations forget their sender.
	"members_forget_inviter()",
	// migrations/00074: the codes of an invitation's risk signals, as they say.
	"invitations_signal_codes()",
	// migrations/00057_retention.sql: what is past the tenant's retention, blanked or deleted.
	"retention_delete_idempotency(timestamp with time zone,integer)", "retention_delete_widget_tokens(timestamp with time zone,integer)",
	"retention_blank_webhook_messages(timestamp with time zone,integer)", "retention_blank_event_properties(timestamp with time zone,integer)",
	// migrations/00069_account_deletion.sql: an account's deletion scheduled and undone.
	"schedule_tenant_deletion(uuid,text)", "cancel_tenant_deletion(uuid)"}

// eraserFunctions are the functions through which personal data leaves
// rows that never change otherwise, as tandem_eraser
// (migrations/00055_participant_erasure.sql).
var eraserFunctions = []string{"erase_participant(uuid,text)", "erase_event_properties(uuid,timestamp with time zone,integer)"}

// purgerFunctions are the functions by which a deleted account's rows
// leave, as tandem_purger (migrations/00069_account_deletion.sql).
var purgerFunctions = []string{"purge_tenant(uuid,integer,boolean)"}

func TestSchemaCatalogSecurityDefiners(t *testing.T) {
	owner := dialRaw(t, env.OwnerURL)
	rows := catalogRows(t, owner, `
		SELECT p.oid::regprocedure::text, p.proowner::regrole::text,
		       coalesce(array_to_string(p.proconfig, ';'), ''),
		       EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
		               WHERE x.grantee = 0 AND x.privilege_type = 'EXECUTE'),
		       r.rolsuper OR r.rolbypassrls
		FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
		WHERE p.prosecdef AND p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
		ORDER BY 1`)
	var names []string
	for _, row := range rows {
		fn, fnOwner, config, public, powerful := row[0], row[1], row[2], row[3], row[4]
		names = append(names, fn[:strings.Index(fn, "(")])
		path := ""
		for _, setting := range strings.Split(config, ";") {
			if v, ok := strings.CutPrefix(setting, "search_path="); ok {
				path = v
			}
		}
		if path == "" {
			t.Errorf("%s: no pinned search_path (proconfig %q)", fn, config)
		} else if !strings.HasSuffix(path, "pg_temp") {
			t.Errorf("%s: search_path %q does not end with pg_temp", fn, path)
		}
		if public == "t" {
			t.Errorf("%s: executable by PUBLIC", fn)
		}
		wantOwner := "tandem_definer"
		if slices.Contains(refereeFunctions, fn) {
			wantOwner = "tandem_referee"
		}
		if slices.Contains(eraserFunctions, fn) {
			wantOwner = "tandem_eraser"
		}
		if slices.Contains(purgerFunctions, fn) {
			wantOwner = "tandem_purger"
		}
		if powerful == "t" || fnOwner != wantOwner {
			t.Errorf("%s: owned by %s (superuser or bypassrls: %s); want %s", fn, fnOwner, powerful, wantOwner)
		}
	}
	for _, want := range slices.Concat(refereeFunctions, eraserFunctions, purgerFunctions) {
		if !slices.Contains(names, want[:strings.Index(want, "(")]) {
			t.Errorf("%s is not SECURITY DEFINER", want)
		}
	}
	// Guard against a query that silently finds nothing.
	for _, want := range []string{"find_api_key", "find_members_by_email", "find_tenant_by_slug", "find_invite_code_tenant", "list_tenant_ids",
		"find_tenant_by_stripe_customer"} {
		if !slices.Contains(names, want) {
			t.Errorf("SECURITY DEFINER functions %v lack %s", names, want)
		}
	}
	t.Run("tandem_definer writes nothing", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT c.relname::text, p FROM pg_class c, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
			WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
			  AND (has_table_privilege('tandem_definer', c.oid, p) OR (p IN ('INSERT', 'UPDATE') AND has_any_column_privilege('tandem_definer', c.oid, p)))`)
		for _, row := range rows {
			t.Errorf("tandem_definer has %s on %s", row[1], row[0])
		}
	})
}

func TestSchemaCatalogAppPrivileges(t *testing.T) {
	owner := dialRaw(t, env.OwnerURL)
	// has_any_column_privilege also sees column-level grants, which
	// has_table_privilege alone would miss.
	privilege := func(table, priv string) bool {
		rows := catalogRows(t, owner, `SELECT has_table_privilege('tandem_app', to_regclass($1), $2)
			OR ($2 IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege('tandem_app', to_regclass($1), $2))`, table, priv)
		return rows[0][0] == "t"
	}
	denied := []struct{ table, priv string }{
		{"events", "UPDATE"}, {"events", "DELETE"}, {"events", "TRUNCATE"},
		{"participant_event_names", "UPDATE"}, {"participant_event_names", "DELETE"},
		{"audit_log", "UPDATE"}, {"audit_log", "DELETE"}, {"audit_log", "TRUNCATE"},
		{"raffle_draws", "UPDATE"}, {"raffle_draws", "DELETE"},
		{"raffle_entries", "UPDATE"}, {"raffle_entries", "DELETE"},
		{"raffle_winners", "UPDATE"}, {"raffle_winners", "DELETE"},
		{"reward_tokens", "DELETE"}, {"invitations", "DELETE"}, {"campaigns", "DELETE"},
		{"participants", "DELETE"}, {"tenants", "DELETE"}, {"invite_codes", "UPDATE"}, {"invite_codes", "DELETE"},
		{"referrer_codes", "UPDATE"}, {"referrer_codes", "DELETE"}, {"goose_db_version", "SELECT"},
		// Written by the schema's own functions only (migrations/00012_referee.sql;
		// invite_codes, which tandem_app writes again since 00044, is not).
		{"host_completions", "INSERT"}, {"host_completions", "UPDATE"},
		{"campaign_rollups", "INSERT"}, {"campaign_rollups", "UPDATE"}, {"campaign_day_rollups", "INSERT"},
		{"campaign_day_rollups", "UPDATE"}, {"campaign_reward_rollups", "INSERT"}, {"campaign_reward_rollups", "UPDATE"},
		// Billing (migrations/00025_billing.sql): the plans are read-only, and
		// only apply_stripe_event records Stripe's events.
		{"plans", "INSERT"}, {"plans", "UPDATE"}, {"plans", "DELETE"},
		{"stripe_events", "INSERT"}, {"stripe_events", "UPDATE"}, {"stripe_events", "DELETE"},
	}
	// On Citus, always/citus.sql grants these two, which buy the lock
	// Citus takes on a reference table that a write of tenants or
	// invite_codes points at; citusGrantsReachNoRow checks what keeps
	// every row out of their reach.
	citusGrants := map[string]bool{"invite_codes UPDATE": true, "plans UPDATE": true}
	for _, d := range denied {
		if dbtest.Citus() && citusGrants[d.table+" "+d.priv] {
			continue
		}
		if privilege(d.table, d.priv) {
			t.Errorf("tandem_app has %s on %s", d.priv, d.table)
		}
	}
	if dbtest.Citus() {
		citusGrantsReachNoRow(t, owner)
	}
	// TRUNCATE, TRIGGER and REFERENCES ignore row-level security (or let a
	// role look past it): tandem_app has none of them anywhere.
	rows := catalogRows(t, owner, `
		SELECT c.relname::text, p FROM pg_class c, unnest(ARRAY['TRUNCATE', 'TRIGGER', 'REFERENCES']) p
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
		  AND (has_table_privilege('tandem_app', c.oid, p) OR (p = 'REFERENCES' AND has_any_column_privilege('tandem_app', c.oid, p)))`)
	for _, row := range rows {
		t.Errorf("tandem_app has %s on %s", row[1], row[0])
	}
	// A reward token's snapshot is not writable, only its status.
	for _, column := range []string{"participant_id", "invitation_id", "description", "kind", "quantity", "amount", "currency", "issued_at"} {
		rows := catalogRows(t, owner, `SELECT has_column_privilege('tandem_app', 'reward_tokens', $1, 'UPDATE')`, column)
		if rows[0][0] == "t" {
			t.Errorf("tandem_app may UPDATE reward_tokens.%s", column)
		}
	}
	// A tenant's plan and subscription move only through apply_stripe_event;
	// at sign-up, tenants_start_free allows only the free plan.
	for _, column := range []string{"plan", "billing_status", "stripe_customer_id", "stripe_subscription_id", "billing_synced_at"} {
		rows := catalogRows(t, owner, `SELECT has_column_privilege('tandem_app', 'tenants', $1, 'UPDATE'),
			has_column_privilege('tandem_app', 'tenants', $1, 'INSERT')`, column)
		// On Citus, which writes every column to the shard, INSERT is
		// table-wide (always/citus.sql) and tenants_start_free refuses a
		// new tenant's billing state instead (citusGrantsReachNoRow).
		if rows[0][0] == "t" || (column != "plan" && rows[0][1] == "t" && !dbtest.Citus()) {
			t.Errorf("tandem_app may UPDATE (%s) or INSERT (%s) tenants.%s", rows[0][0], rows[0][1], column)
		}
	}
	// Guard: the checks above are not vacuous.
	if !privilege("events", "INSERT") || !privilege("reward_tokens", "UPDATE") {
		t.Fatal("tandem_app lacks INSERT on events or UPDATE (status) on reward_tokens: the privilege query is wrong")
	}
}

// citusGrantsReachNoRow checks, on Citus, the rules behind the grants
// always/citus.sql adds for tandem_app: UPDATE on plans, which has
// row-level security and no policy but for reading; UPDATE on the one
// column kind of invite_codes, whose trigger refuses every change; INSERT
// on every column of tenants, whose trigger refuses a tenant that does not
// start free and without billing state.
func citusGrantsReachNoRow(t *testing.T, owner *pgx.Conn) {
	t.Helper()
	rows := catalogRows(t, owner, `SELECT relrowsecurity, (SELECT count(*) FROM pg_policies WHERE schemaname = 'public' AND tablename = 'plans' AND cmd <> 'SELECT')::text
		FROM pg_class WHERE oid = 'plans'::regclass`)
	if !slices.Equal(rows[0], []string{"t", "0"}) {
		t.Errorf("plans: row-level security %s, %s policies for anything but reading; want t and 0", rows[0][0], rows[0][1])
	}
	rows = catalogRows(t, owner, `SELECT has_table_privilege('tandem_app', 'invite_codes', 'UPDATE'), coalesce(string_agg(attname::text, ','), '')
		FROM pg_attribute WHERE attrelid = 'invite_codes'::regclass AND attnum > 0 AND NOT attisdropped
		  AND has_column_privilege('tandem_app', attrelid, attnum, 'UPDATE')`)
	if !slices.Equal(rows[0], []string{"f", "kind"}) {
		t.Errorf("invite_codes: tandem_app may UPDATE the table (%s), the columns %q; want only kind", rows[0][0], rows[0][1])
	}
	for _, trigger := range [][2]string{{"invite_codes", "invite_codes_append_only"}, {"tenants", "tenants_start_free"}} {
		rows := catalogRows(t, owner, `SELECT coalesce((SELECT tgenabled::text FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = $2), 'missing')`,
			trigger[0], trigger[1])
		if rows[0][0] != "O" {
			t.Errorf("%s: trigger %s is %s; want it enabled", trigger[0], trigger[1], rows[0][0])
		}
	}
}
