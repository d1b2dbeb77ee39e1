package models_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestListQueriesUseTheirIndexes EXPLAINs the named list queries
// as the restricted role, under row-level security, over a tenant with
// some thousands of participants and audit entries (and fresh statistics):
// each filter uses the index migrations/00010_operations.sql made for it.
func TestListQueriesUseTheirIndexes(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	for _, sql := range []string{
		`INSERT INTO participants (tenant_id, external_id, email)
		 SELECT ?, 'user' || g, CASE WHEN g % 2 = 0 THEN 'User' || g || '@example.com' END FROM generate_series(1, 5000) g`,
		`INSERT INTO audit_log (tenant_id, actor, action, subject)
		 SELECT ?, 'member:mem_' || md5((g % 50)::text),
		        CASE WHEN g % 100 = 0 THEN 'reward.redeemed' ELSE 'campaign.draft_saved' END,
		        'rwd_' || md5(g::text)
		 FROM generate_series(1, 20000) g`,
	} {
		if err := env.Owner.Exec(sql, tenant).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := env.Owner.Exec(`ANALYZE participants, audit_log`).Error; err != nil {
		t.Fatal(err)
	}
	// Every query takes the tenant first; page is the first page of 50
	// (after, after, limit); twice repeats a filter's value as the queries
	// take it.
	page := []any{"", "", 51}
	with := func(args ...any) []any { return append(append([]any{tenant}, args...), page...) }
	twice := func(v any) []any { return []any{v, v} }
	cat := func(parts ...[]any) []any {
		var out []any
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, sc := range []struct {
		name, query string
		args        []any
		indexes     []string
	}{
		{"participant search", "search-participants", with("user123", "user123", "user123\U0010FFFF", "user123", "user123\U0010FFFF"),
			[]string{"participants_external_id_prefix", "participants_email_prefix"}},
		{"participants, newest first", "search-participants", with("", "", "", "", ""), []string{"participants_recent"}},
		{"audit by actor", "audit-entries", with("", "", "", "member:mem_x", "member:mem_x"), []string{"audit_log_by_actor"}},
		// These plan at all (their indexes need rows this test does not make).
		{"invitations", "quest-invitations", with(cat(twice("spring"), twice(""), twice(""),
			[]any{"claimed", "claimed", "claimed", "claimed", "claimed"}, twice("signup_complete"))...), nil},
		{"rewards queue", "reward-queue", with(cat(twice("issued"), twice(""), twice("cash"), twice(""), twice("rwd_a,rwd_b"))...),
			[]string{"audit_log_by_subject"}},
		{"raffle draws", "raffle-draws", with("", ""), nil},
		{"raffle pots", "raffle-pots", []any{tenant}, nil},
		{"audit by action", "audit-entries", with("reward.", "reward.", "reward.\U0010FFFF", "", ""), []string{"audit_log_by_action"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			var plan []string
			env.InTenant(t, tenant, func(ctx context.Context) error {
				tx := models.TxOf(ctx)
				return tx.Raw("EXPLAIN "+models.ListQueries[sc.query], sc.args...).Scan(&plan).Error
			})
			text := strings.Join(plan, "\n")
			for _, index := range sc.indexes {
				if !strings.Contains(text, index) {
					t.Errorf("the plan does not use %s:\n%s", index, text)
				}
			}
		})
	}
}
