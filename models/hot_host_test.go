package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// TestHotHostCompletesOnceInOneBatch completes 5,000 invitations of one host
// in one ingest_events statement (a batch five times the API's, which the
// function itself does not cap): every completion takes the host's counter
// row in turn, within one transaction. Rule 6 must hold all the same:
// completions numbered 1 … 5,000 once each, the host's milestone reward for
// each number on the invitation of that number, one guest reward each.
func TestHotHostCompletesOnceInOneBatch(t *testing.T) {
	const guests = 5000
	tenant := env.NewTenant(t, "").TenantID
	var campaign string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		pub := publish(t, ctx, campaignSpec{slug: "hot", mode: models.ModeInvitation, steps: []string{"purchase_complete"},
			milestones: []int64{1000, 1500, 2500}, repeatLast: true, guestAmount: 500})
		campaign = pub.Campaign.ID
		return nil
	})
	// The claimed invitations are written with the triggers off: 5,000
	// claims through models would take most of the test's time, and what is
	// tested starts at the completions.
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO participants (tenant_id, id, external_id)
			SELECT ?::uuid, 'par_hot' || x, x FROM (SELECT 'host' UNION ALL SELECT 'guest-' || g FROM generate_series(1, ?) g) p(x)`,
			tenant, guests).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO invitations (tenant_id, id, campaign_id, kind, host_id, code, expires_at, guest_id, claimed_at, version)
			SELECT ?::uuid, 'inv_hot' || g, ?, 'invitation', 'par_hothost', 'HOT' || g, now() + interval '30 days',
			       'par_hotguest-' || g, now(), 1
			FROM generate_series(1, ?) g`, tenant, campaign, guests).Error
	})

	participants, names := make([]string, guests), make([]string, guests)
	for g := range guests {
		participants[g], names[g] = fmt.Sprint("guest-", g+1), "purchase_complete"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tx := appTx(t, dialRaw(t, env.AppURL), tenant)
	var stored int
	must(t, tx.QueryRow(ctx, `SELECT count(*) FROM ingest_events($1, $2, $3, $4, $5, $6)`, tenant, participants, names,
		make([]*string, guests), make([]*time.Time, guests), make([]*string, guests)).Scan(&stored))
	must(t, tx.Commit(ctx))
	if stored != guests {
		t.Fatalf("%d events answered, want %d", stored, guests)
	}

	// Each token is, to the letter, one earned_rewards() of its invitation
	// says it earned: the issuing trigger's tokens are not checked again as
	// they are inserted (reward_tokens_issue_guard), so this is where they
	// are, for the first completions (milestone rows 1, 2, 3), a repeat of
	// the last row, and the last completion.
	check := appTx(t, dialRaw(t, env.AppURL), tenant)
	const columns = `participant_id, campaign_id, reason, milestone, description, kind, quantity, amount, currency, percent_off`
	for _, n := range []int{1, 2, 3, 4, guests / 2, guests} {
		var invitation string
		must(t, check.QueryRow(ctx, `SELECT id FROM invitations WHERE tenant_id = $1 AND host_id = 'par_hothost' AND completion_number = $2`,
			tenant, n).Scan(&invitation))
		read := func(sql string) string {
			rows, err := check.Query(ctx, sql, invitation, tenant)
			must(t, err)
			defer rows.Close()
			var all []any
			for rows.Next() {
				values, err := rows.Values()
				must(t, err)
				all = append(all, values)
			}
			must(t, rows.Err())
			return fmt.Sprint(all)
		}
		issued := read(`SELECT ` + columns + ` FROM reward_tokens WHERE invitation_id = $1 AND tenant_id = $2 ORDER BY reason`)
		earned := read(`SELECT ` + columns + ` FROM earned_rewards($1) WHERE $2::uuid IS NOT NULL ORDER BY reason`)
		if issued != earned {
			t.Errorf("completion %d: issued %s; earned %s", n, issued, earned)
		}
	}

	var counter, completions, numbers, lowest, highest, hostRewards, milestones, matched, guestRewards, rewarded int64
	must(t, env.Owner.Raw(`
		WITH invs AS (SELECT id, completion_number FROM invitations
		              WHERE tenant_id = ? AND host_id = 'par_hothost' AND completed_at IS NOT NULL),
		     hr AS (SELECT milestone, invitation_id FROM reward_tokens
		            WHERE tenant_id = ? AND participant_id = 'par_hothost' AND reason = 'host_milestone')
		SELECT (SELECT completed FROM host_completions WHERE tenant_id = ? AND host_id = 'par_hothost'),
		       (SELECT count(*) FROM invs), (SELECT count(DISTINCT completion_number) FROM invs),
		       (SELECT min(completion_number) FROM invs), (SELECT max(completion_number) FROM invs),
		       (SELECT count(*) FROM hr), (SELECT count(DISTINCT milestone) FROM hr),
		       (SELECT count(*) FROM hr JOIN invs ON invs.id = hr.invitation_id AND invs.completion_number = hr.milestone),
		       (SELECT count(*) FROM reward_tokens r JOIN invs ON invs.id = r.invitation_id WHERE r.tenant_id = ? AND r.reason = 'guest'),
		       (SELECT count(DISTINCT r.invitation_id) FROM reward_tokens r JOIN invs ON invs.id = r.invitation_id
		        WHERE r.tenant_id = ? AND r.reason = 'guest')`,
		tenant, tenant, tenant, tenant, tenant).Row().Scan(&counter, &completions, &numbers, &lowest, &highest,
		&hostRewards, &milestones, &matched, &guestRewards, &rewarded))
	if counter != guests || completions != guests || numbers != guests || lowest != 1 || highest != guests {
		t.Errorf("counter %d, %d completions numbered %d distinct from %d to %d; want %d, numbered 1 … %d",
			counter, completions, numbers, lowest, highest, guests, guests)
	}
	if hostRewards != guests || milestones != guests || matched != guests {
		t.Errorf("%d host rewards, %d distinct milestones, %d on the invitation of their number; want %d each",
			hostRewards, milestones, matched, guests)
	}
	if guestRewards != guests || rewarded != guests {
		t.Errorf("%d guest rewards for %d invitations; want one each of %d", guestRewards, rewarded, guests)
	}
}
