package models_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tandemhq/tandem/models"
)

// The dashboard's rollups (migrations/00011_dashboard_rollups.sql) must say
// exactly what the base tables say, after whatever models did.

// dashRules is a three-step quest whose milestones pay in two currencies,
// then in tickets (no amount), repeated; the guest gets a USD credit.
func dashRules(steps ...string) models.Rules {
	usd, eur, welcome := int64(1000), int64(1500), int64(500)
	return models.Rules{
		Steps:               steps,
		RepeatLastMilestone: true,
		Milestones: []models.Milestone{
			{Count: 1, Reward: models.Reward{Description: "$10", Kind: "cash", Amount: &usd, Currency: "USD"}},
			{Count: 2, Reward: models.Reward{Description: "€15", Kind: "credit", Amount: &eur, Currency: "EUR"}},
			{Count: 3, Reward: models.Reward{Description: "two tickets", Kind: "ticket", Quantity: 2}},
		},
		GuestReward: &models.Reward{Description: "welcome", Kind: "credit", Amount: &welcome, Currency: "USD"},
	}
}

// dashCampaign saves and publishes a campaign (migrating in-flight
// invitations when migrate is set).
func dashCampaign(t testing.TB, ctx context.Context, slug, mode string, migrate bool, rules models.Rules) {
	t.Helper()
	_, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: slug, Mode: mode, Rules: rules})
	must(t, err)
	inflight := models.InflightKeep
	if migrate {
		inflight = models.InflightMigrate
	}
	_, err = models.PublishCampaign(ctx, slug, inflight)
	must(t, err)
	if migrate {
		must(t, finishMigration(ctx, slug))
	}
}

// compareDashboards checks that the rollups and the base tables agree on
// campaign slug, and returns the rollups' dashboard.
func compareDashboards(t *testing.T, tenant uuid.UUID, slug string) models.Dashboard {
	t.Helper()
	var fast, slow models.Dashboard
	today := time.Now().UTC()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		c, err := models.GetCampaign(ctx, slug)
		if err != nil {
			return err
		}
		if fast, err = models.LoadDashboard(ctx, c, today); err != nil {
			return err
		}
		slow, err = models.LoadDashboardFromBase(ctx, c, today)
		return err
	})
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("%s: the rollups say\n%+v\nthe base tables say\n%+v", slug, fast, slow)
	}
	return fast
}

func TestDashboardRollupsMatchBaseTables(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var codes [6]string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, e := range []string{"s1", "s2", "s3"} {
			if _, _, err := models.DefineEvent(ctx, e, ""); err != nil {
				return err
			}
		}
		dashCampaign(t, ctx, "dash", models.ModeInvitation, false, dashRules("s1", "s2", "s3"))
		dashCampaign(t, ctx, "codes", models.ModeReferrerCode, false, models.Rules{Steps: []string{"s1"}})
		for i := range codes {
			codes[i] = mustInvite(t, ctx, "dash", fmt.Sprintf("host%d", i%2)).Code
		}
		return nil
	})
	// Each step is a transaction of its own: the counters move at commit.
	step := func(fn func(ctx context.Context) error) { env.InTenant(t, tenant, fn) }
	// g6 acts before being invited; its event counts at the claim.
	step(func(ctx context.Context) error { return event(ctx, "g6", "s1") })
	// codes[5] stays pending; g5 is never invited.
	for i, guest := range []string{"g1", "g2", "g3", "g4", "g6"} {
		step(func(ctx context.Context) error { mustClaim(t, ctx, codes[i], guest); return nil })
	}
	// Events out of order, duplicated, early.
	for _, e := range [][2]string{
		{"g1", "s3"}, {"g1", "s1"}, {"g1", "s2"}, // completes, host0's 1st
		{"g2", "s1"}, {"g2", "s1"}, {"g2", "s2"}, // progress 2
		{"g3", "s2"}, {"g3", "s1"}, // early step 2, then 1: progress 2
		{"g4", "s1"}, {"g4", "s2"}, {"g4", "s3"}, // completes, host1's 1st
		{"host0", "s1"}, // a host's own event advances nobody
		{"g5", "s1"},    // nor does an uninvited participant's
	} {
		step(func(ctx context.Context) error { return event(ctx, e[0], e[1]) })
	}
	// A batch: several guests in one transaction.
	step(func(ctx context.Context) error {
		_, err := models.IngestEvents(ctx, []models.EventInput{
			{Participant: "g3", Name: "s3"}, {Participant: "g6", Name: "s3"}, {Participant: "g5", Name: "s3"},
		})
		return err
	})
	compareDashboards(t, tenant, "dash")

	// Settle rewards: redeem one, void another.
	step(func(ctx context.Context) error {
		var ids []string
		if err := models.TxOf(ctx).Raw(`SELECT id FROM reward_tokens ORDER BY issued_at, id`).Scan(&ids).Error; err != nil {
			return err
		}
		if len(ids) < 2 {
			return fmt.Errorf("only %d rewards", len(ids))
		}
		if _, err := models.RedeemReward(ctx, ids[0]); err != nil {
			return err
		}
		_, err := models.VoidReward(ctx, ids[1])
		return err
	})
	// A new version without step s2, migrating the in-flight invitations:
	// g2 (s1, s2 done) falls back to 1 of [s1, s3]; g6 (s1, s3) completes,
	// host0's third: two tickets, a reward without an amount.
	step(func(ctx context.Context) error {
		dashCampaign(t, ctx, "dash", models.ModeInvitation, true, dashRules("s1", "s3"))
		return nil
	})
	step(func(ctx context.Context) error { return event(ctx, "g2", "s3") }) // completes under v2
	// The referrer-code campaign: claims are born with their invitation.
	step(func(ctx context.Context) error {
		code, err := models.ReferrerCode(ctx, "codes", "host0")
		if err != nil {
			return err
		}
		mustClaim(t, ctx, code, "g7")
		mustClaim(t, ctx, code, "g8")
		return event(ctx, "g7", "s1")
	})

	d := compareDashboards(t, tenant, "dash")
	compareDashboards(t, tenant, "codes")

	// And the numbers are the ones the story above tells.
	want := models.Funnel{Created: 6, Claimed: 5, Reached: []int64{5, 5, 3}, Completed: 5}
	if !reflect.DeepEqual(d.Funnel, want) || !d.QuestChanged || !reflect.DeepEqual(d.Steps, []string{"s1", "s3"}) {
		t.Errorf("funnel %+v, steps %v, quest changed %v; want %+v, [s1 s3], true", d.Funnel, d.Steps, d.QuestChanged, want)
	}
	today := d.Days[len(d.Days)-1]
	if len(d.Days) != models.DashboardDays || today.Created != 6 || today.Claimed != 5 || today.Completed != 5 {
		t.Errorf("%d days, today %+v", len(d.Days), today)
	}
	for _, r := range d.Rewards {
		if r.Currency != "" && r.Kind != "" || r.Currency == "" && r.IssuedAmount != 0 {
			t.Errorf("reward total %+v mixes money and kinds", r)
		}
	}
	if len(d.TopHosts) != 2 || d.TopHosts[0].Completed != 3 || d.TopHosts[1].Completed != 2 {
		t.Errorf("top hosts %+v", d.TopHosts)
	}
}

// Concurrent claims and events spread over the shards and still add up.
func TestDashboardRollupsUnderConcurrency(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	const guests = 24
	codes := make([]string, guests)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, e := range []string{"s1", "s2", "s3"} {
			if _, _, err := models.DefineEvent(ctx, e, ""); err != nil {
				return err
			}
		}
		dashCampaign(t, ctx, "busy", models.ModeInvitation, false, dashRules("s1", "s2", "s3"))
		for i := range codes {
			codes[i] = mustInvite(t, ctx, "busy", fmt.Sprintf("host%d", i%3)).Code
		}
		return nil
	})
	var wg sync.WaitGroup
	errs := make(chan error, guests)
	for i := range guests {
		wg.Go(func() {
			guest := fmt.Sprintf("guest%d", i)
			err := env.TryInTenant(tenant, func(ctx context.Context) error {
				_, err := models.Claim(ctx, codes[i], guest)
				return err
			})
			for _, s := range []string{"s1", "s2", "s3"}[:i%4] {
				if err == nil {
					err = env.TryInTenant(tenant, func(ctx context.Context) error { return event(ctx, guest, s) })
				}
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	d := compareDashboards(t, tenant, "busy")
	if d.Funnel.Claimed != guests || d.Funnel.Completed != guests/4 {
		t.Errorf("funnel %+v", d.Funnel)
	}
}

// Nobody writes the rollups but their triggers.
func TestDashboardRollupsRefuseDirectWrites(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var campaignID string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "s1", "")
		must(t, err)
		dashCampaign(t, ctx, "guarded", models.ModeInvitation, false, models.Rules{Steps: []string{"s1"}})
		c, err := models.GetCampaign(ctx, "guarded")
		campaignID = c.ID
		return err
	})
	for _, stmt := range []string{
		`INSERT INTO campaign_rollups (campaign_id, shard, created) VALUES (@c, 0, 1000)`,
		`INSERT INTO campaign_day_rollups (campaign_id, day, shard, claimed) VALUES (@c, current_date, 0, 1000)`,
		`INSERT INTO campaign_reward_rollups (campaign_id, kind, currency, shard, issued) VALUES (@c, 'cash', 'USD', 0, 1)`,
		`INSERT INTO rollup_deltas (campaign_id, rollup, created) VALUES (@c, 'funnel', 1000)`,
		`DELETE FROM rollup_deltas WHERE campaign_id = @c`,
	} {
		err := env.TryInTenant(tenant, func(ctx context.Context) error {
			return models.TxOf(ctx).Exec(stmt, map[string]any{"c": campaignID}).Error
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" || !strings.Contains(pgErr.Message, "permission denied") {
			t.Errorf("%s: %v; want permission denied", stmt, err)
		}
	}
	// Behind the privileges, the guard refuses a direct write even from the
	// role the rollup triggers write as.
	r := newRawDB(t)
	r.run(t, tenant, []attack{
		{name: "a direct rollup write as tandem_referee", owner: true, setup: asReferee,
			stmt: q(`INSERT INTO campaign_rollups (campaign_id, shard, created) VALUES ($1, 0, 1000)`, campaignID),
			code: checkViolation, constraint: "rollup_maintained_by_triggers"},
		{name: "a delta for the commit to apply, as tandem_referee", owner: true, setup: asReferee,
			stmt: q(`INSERT INTO rollup_deltas (campaign_id, rollup, created) VALUES ($1, 'funnel', 1000)`, campaignID),
			code: checkViolation, constraint: "rollup_maintained_by_triggers"},
	})
}

// The rollups move at the commit (00011, 00078): inside the transaction a
// statement's changes wait in rollup_deltas, the counters untouched, and
// after it nothing waits there and the counters say what the rows say.
func TestDashboardRollupsMoveAtCommit(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var code string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "s1", "")
		must(t, err)
		dashCampaign(t, ctx, "at-commit", models.ModeInvitation, false, dashRules("s1"))
		code = mustInvite(t, ctx, "at-commit", "host").Code
		return nil
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, err := models.Claim(ctx, code, "guest")
		must(t, err)
		must(t, event(ctx, "guest", "s1"))
		var pending, counted int64
		must(t, models.TxOf(ctx).Raw(`SELECT count(*) FROM rollup_deltas WHERE tenant_id = ?`, tenant).Row().Scan(&pending))
		must(t, models.TxOf(ctx).Raw(`SELECT count(*) FROM campaign_rollups WHERE tenant_id = ? AND claimed > 0`, tenant).Row().Scan(&counted))
		if pending == 0 || counted != 0 {
			t.Errorf("before the commit: %d deltas waiting, %d counter rows with a claim; want some and none", pending, counted)
		}
		return nil
	})
	var left int64
	must(t, env.Owner.Raw(`SELECT count(*) FROM rollup_deltas WHERE tenant_id = ?`, tenant).Row().Scan(&left))
	if left != 0 {
		t.Errorf("%d deltas left after the commit", left)
	}
	if d := compareDashboards(t, tenant, "at-commit"); d.Funnel.Claimed != 1 || d.Funnel.Completed != 1 {
		t.Errorf("funnel %+v; want one claimed and completed", d.Funnel)
	}
}
