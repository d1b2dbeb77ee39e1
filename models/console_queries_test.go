package models_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestConsoleQueriesUseTheirIndexes EXPLAINs the console's named queries
// as the restricted role, under row-level security, over a tenant with
// some thousands of participants and audit entries (and fresh statistics):
// each filter uses the index migrations/00010_operations.sql made for it.
func TestConsoleQueriesUseTheirIndexes(t *testing.T) {
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
	base := map[string]any{"after": "", "limit": 51}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for _, sc := range []struct {
		name, query string
		args        map[string]any
		indexes     []string
	}{
		{"participant search", "search-participants", with(map[string]any{"prefix": "user123", "prefix_end": "user123\U0010FFFF"}),
			[]string{"participants_external_id_prefix", "participants_email_prefix"}},
		{"participants, newest first", "search-participants", with(map[string]any{"prefix": "", "prefix_end": ""}), []string{"participants_recent"}},
		{"audit by actor", "audit-entries", with(map[string]any{"action": "", "action_end": "", "actor": "member:mem_x"}), []string{"audit_log_by_actor"}},
		// These plan at all (their indexes need rows this test does not make).
		{"invitations", "quest-invitations", with(map[string]any{"campaign": "spring", "host": "", "guest": "",
			"status": "claimed", "step": "signup_complete"}), nil},
		{"rewards queue", "reward-queue", with(map[string]any{"status": "issued", "campaign": "", "kind": "cash",
			"participant": "", "ids": "rwd_a,rwd_b"}), []string{"audit_log_by_subject"}},
		{"raffle draws", "raffle-draws", with(map[string]any{"id": ""}), nil},
		{"raffle pots", "raffle-pots", nil, nil},
		{"audit by action", "audit-entries", with(map[string]any{"action": "reward.", "action_end": "reward.\U0010FFFF", "actor": ""}), []string{"audit_log_by_action"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			var plan []string
			env.InTenant(t, tenant, func(ctx context.Context) error {
				tx := models.TxOf(ctx)
				q := tx.Raw("EXPLAIN "+models.ConsoleQueries[sc.query], sc.args)
				if sc.args == nil {
					q = tx.Raw("EXPLAIN " + models.ConsoleQueries[sc.query])
				}
				return q.Scan(&plan).Error
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
