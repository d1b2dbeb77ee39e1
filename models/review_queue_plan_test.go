package models_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// TestReviewQueuePlanReadsHeldTokensFirst EXPLAINs the review queue over
// 10,000 held rewards, a third of whose referrals carry a velocity signal
// (written with the triggers off, their codes too, then analysed): no
// table is read whole; unfiltered, the page is chosen from the held tokens
// in order (reward_tokens_held); filtered by a signal no referral carries,
// from the referrals that carry it (invitation_signals), never by walking
// the held tokens, which read every one of them to find none. Joined
// directly to the signals' JSON, the planner, which cannot estimate a
// jsonb containment, read every invitation of the tenant and built every
// matching row before keeping a page. (campaigns, of one row, may be read
// whole.)
// walksHeldIndex finds a scan of reward_tokens_held in a plan (not of
// reward_tokens_held_by_invitation).
var walksHeldIndex = regexp.MustCompile(`using reward_tokens_held(_[0-9]+)? on`)

func TestReviewQueuePlanReadsHeldTokensFirst(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		for _, sql := range []string{
			`INSERT INTO campaigns (tenant_id, id, slug, name, mode, status, current_version)
			 VALUES (?::uuid, 'cmp_1', 'bench', 'Bench', 'invitation', 'active', 1)`,
			`INSERT INTO participants (tenant_id, id, external_id)
			 SELECT ?::uuid, 'par_' || g, 'user' || g FROM generate_series(1, 12000) g`,
			`INSERT INTO invitations (tenant_id, id, campaign_id, kind, host_id, code, created_at, expires_at, guest_id, claimed_at,
			   version, progress, completed_at, completion_number, risk_signals, risk_level)
			 SELECT ?::uuid, 'inv_' || g, 'cmp_1', 'invitation', 'par_' || (10001 + g / 5), 'C' || g, now(), now() + interval '1 day',
			        'par_' || g, now(), 1, 1, now(), g % 5 + 1,
			        CASE WHEN g % 3 = 0 THEN '[{"code": "velocity", "level": "medium", "detail": ""}]'::jsonb END,
			        CASE WHEN g % 3 = 0 THEN 'medium' END
			 FROM generate_series(1, 10000) g`,
			`INSERT INTO reward_tokens (tenant_id, id, participant_id, campaign_id, invitation_id, reason, milestone, description, kind,
			   quantity, amount, currency, status, issued_at)
			 SELECT ?::uuid, 'rwd_' || g, 'par_' || (10001 + g / 5), 'cmp_1', 'inv_' || g, 'host_milestone', g, 'Reward', 'cash',
			        1, 1000, 'USD', 'held', now() - (10000 - g) * interval '1 second'
			 FROM generate_series(1, 10000) g`,
			`INSERT INTO invitation_signals (tenant_id, invitation_id, code)
			 SELECT ?::uuid, 'inv_' || g, 'velocity' FROM generate_series(1, 10000) g WHERE g % 3 = 0`,
		} {
			if err := tx.Exec(sql, tenant.String()).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err := env.Owner.Exec(`ANALYZE campaigns, participants, invitations, reward_tokens, invitation_signals`).Error; err != nil {
		t.Fatal(err)
	}
	for _, signal := range []string{"", "velocity", "ring"} {
		var plan []string
		query, args := models.ListQueries["review-queue"], map[string]any{"tenant": tenant, "campaign": "", "held_before": nil, "after": "", "limit": 51}
		if signal != "" {
			query, args["signal"] = models.ListQueries["review-queue-signal"], signal
		}
		env.InTenant(t, tenant, func(ctx context.Context) error {
			return models.TxOf(ctx).Raw("EXPLAIN "+query, args).Scan(&plan).Error
		})
		text := strings.Join(plan, "\n")
		// campaigns holds one row, which the planner rightly reads whole;
		// invitation_signals holds little but this tenant's codes, a third
		// of which are the common signal's, so reading it whole may be right.
		for _, table := range []string{"invitations", "reward_tokens", "participants"} {
			if strings.Contains(text, "Seq Scan on "+table) {
				t.Errorf("signal %q: the plan reads %s whole:\n%s", signal, table, text)
			}
		}
		// On Citus the index is named with its shard's number.
		walksHeld := walksHeldIndex.MatchString(text)
		if signal == "" && !walksHeld {
			t.Errorf("the unfiltered queue's plan does not choose the page from reward_tokens_held:\n%s", text)
		}
		if signal == "ring" && (walksHeld || !strings.Contains(text, "invitation_signals")) {
			t.Errorf("a signal no referral carries: the plan does not start from invitation_signals:\n%s", text)
		}
	}
}
