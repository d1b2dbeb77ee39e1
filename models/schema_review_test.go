package models_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// publishReviewed publishes slug with one quest step, the host milestone
// host (repeated), the guest reward guest (none for nil) and the review
// settings of rules.
func publishReviewed(t testing.TB, ctx context.Context, slug string, host models.Reward, guest *models.Reward, rules models.Rules) {
	t.Helper()
	_, _, err := models.DefineEvent(ctx, "signup_complete", "")
	must(t, err)
	rules.Steps = []string{"signup_complete"}
	rules.Milestones = []models.Milestone{{Count: 1, Reward: host}}
	rules.RepeatLastMilestone = true
	rules.GuestReward = guest
	_, _, err = models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: slug, Mode: models.ModeInvitation, Rules: rules})
	must(t, err)
	_, err = models.PublishCampaign(ctx, slug, models.InflightKeep)
	must(t, err)
}

var (
	reviewCash   = int64(1000)
	reviewCoupon = models.Reward{Description: "coupon", Kind: models.RewardStripeCoupon, Amount: &reviewCash, Currency: "USD"}
	reviewTicket = models.Reward{Description: "a ticket", Kind: "ticket", Quantity: 3}
	reviewMoney  = models.Reward{Description: "cash", Kind: "cash", Amount: &reviewCash, Currency: "USD"}
)

// signal is one risk signal of level, for the tests.
func signal(code, level string) []models.RiskSignal {
	return []models.RiskSignal{{Code: code, Level: level, Detail: "test evidence"}}
}

// claimRisky claims a new invitation of host in slug for guest and records
// signals on it before the guest completes (none for nil).
func claimRisky(t testing.TB, ctx context.Context, slug, host, guest string, signals []models.RiskSignal) models.Invitation {
	t.Helper()
	inv := mustClaim(t, ctx, mustInvite(t, ctx, slug, host).Code, guest)
	must(t, models.RecordRisk(ctx, inv.ID, signals))
	must(t, event(ctx, guest, "signup_complete"))
	return inv
}

// The hold is the schema's decision, taken when each token is inserted: the
// version's review setting and the risk recorded on the invitation decide
// whether it is born held, and a held token has no expiry yet and no
// Stripe fulfilment.
func TestSchemaRewardsBornHeld(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	days := 30
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publishReviewed(t, ctx, "all", reviewTicket, &reviewCoupon, models.Rules{Review: models.ReviewAll, RewardExpiresAfterDays: &days})
		publishReviewed(t, ctx, "risky-high", reviewMoney, nil, models.Rules{Review: models.ReviewRisky, ReviewThreshold: models.RiskHigh})
		publishReviewed(t, ctx, "risky-medium", reviewMoney, nil, models.Rules{Review: models.ReviewRisky})
		publishReviewed(t, ctx, "off", reviewMoney, &reviewCoupon, models.Rules{})
		claimRisky(t, ctx, "all", "alice", "bob", nil)
		for _, c := range []struct{ slug, host string }{{"risky-high", "h1"}, {"risky-medium", "h2"}, {"off", "h3"}} {
			claimRisky(t, ctx, c.slug, c.host, c.host+"-none", nil)
			claimRisky(t, ctx, c.slug, c.host, c.host+"-medium", signal("velocity", models.RiskMedium))
			claimRisky(t, ctx, c.slug, c.host, c.host+"-high", append(signal("same_client", models.RiskMedium), signal("ring", models.RiskHigh)...))
		}
		return nil
	})
	r := newRawDB(t)
	status := func(invitationGuest, reason string) string {
		return r.str(tenant, `SELECT r.status FROM reward_tokens r JOIN invitations i ON i.tenant_id = r.tenant_id AND i.id = r.invitation_id
			WHERE i.guest_id = $1 AND r.reason = $2`, r.participant(tenant, invitationGuest), reason)
	}
	for _, c := range []struct{ guest, want string }{
		{"h1-none", "issued"}, {"h1-medium", "issued"}, {"h1-high", "held"},
		{"h2-none", "issued"}, {"h2-medium", "held"}, {"h2-high", "held"},
		{"h3-none", "issued"}, {"h3-medium", "issued"}, {"h3-high", "issued"},
	} {
		if got := status(c.guest, "host_milestone"); got != c.want {
			t.Errorf("host reward of %s's referral: %s, want %s", c.guest, got, c.want)
		}
	}
	if got := status("h3-high", "guest"); got != "issued" {
		t.Errorf("a Stripe coupon under review off: %s, want issued", got)
	}
	bob := r.participant(tenant, "bob")
	var held, expiring, fulfilments int64
	r.scan(tenant, q(`SELECT count(*) FILTER (WHERE r.status = 'held'), count(r.expires_at), count(f.reward_id)
		FROM reward_tokens r JOIN invitations i ON i.tenant_id = r.tenant_id AND i.id = r.invitation_id
		LEFT JOIN reward_fulfilments f ON f.tenant_id = r.tenant_id AND f.reward_id = r.id
		WHERE i.guest_id = $1`, bob), &held, &expiring, &fulfilments)
	if held != 2 || expiring != 0 || fulfilments != 0 {
		t.Fatalf("review all: %d held (want 2), %d with an expiry (want 0), %d fulfilments (want 0)", held, expiring, fulfilments)
	}
	var rolledHeld, rolledIssued, heldAmount int64
	r.scan(tenant, q(`SELECT sum(held), sum(issued), sum(held_amount) FROM campaign_reward_rollups WHERE campaign_id = $1`,
		r.campaign(tenant, "all")), &rolledHeld, &rolledIssued, &heldAmount)
	if rolledHeld != 2 || rolledIssued != 0 || heldAmount != reviewCash {
		t.Fatalf("dashboard rollup: %d held (%d), %d issued; want 2 held (%d), none issued", rolledHeld, heldAmount, rolledIssued, reviewCash)
	}
}

// reviewFixture is a tenant with a review: all campaign whose guest bob
// completed (a held Stripe coupon for bob, a held ticket for alice), a
// claimed referral of carol carrying a high risk, a pending invitation of
// a campaign that blocks high risk, and an issued reward of a campaign
// without review.
type reviewFixture struct {
	tenant                      uuid.UUID
	coupon, ticket, issued      string
	risky, blocking, permissive string // invitations: carol's claimed, two pending
	erin                        string // a participant with no referral
}

func newReviewFixture(t *testing.T, r *rawDB) reviewFixture {
	t.Helper()
	f := reviewFixture{tenant: env.NewTenant(t, "").TenantID}
	days := 30
	env.InTenant(t, f.tenant, func(ctx context.Context) error {
		publishReviewed(t, ctx, "all", reviewTicket, &reviewCoupon, models.Rules{Review: models.ReviewAll, RewardExpiresAfterDays: &days})
		publishReviewed(t, ctx, "strict", reviewMoney, nil, models.Rules{Review: models.ReviewRisky, BlockHighRisk: true})
		publishReviewed(t, ctx, "lenient", reviewMoney, nil, models.Rules{Review: models.ReviewRisky})
		publishReviewed(t, ctx, "off", reviewMoney, nil, models.Rules{})
		claimRisky(t, ctx, "all", "alice", "bob", nil)
		claimRisky(t, ctx, "off", "alice", "dave", nil)
		f.risky = mustClaim(t, ctx, mustInvite(t, ctx, "all", "alice").Code, "carol").ID
		must(t, models.RecordRisk(ctx, f.risky, signal("ring", models.RiskHigh)))
		f.blocking = mustInvite(t, ctx, "strict", "alice").ID
		f.permissive = mustInvite(t, ctx, "lenient", "alice").ID
		return nil
	})
	addParticipants(t, f.tenant, "erin")
	f.erin = r.participant(f.tenant, "erin")
	token := func(campaign, kind string) string {
		return r.str(f.tenant, `SELECT id FROM reward_tokens WHERE campaign_id = $1 AND kind = $2 ORDER BY id LIMIT 1`, r.campaign(f.tenant, campaign), kind)
	}
	f.coupon, f.ticket, f.issued = token("all", models.RewardStripeCoupon), token("all", "ticket"), token("off", "cash")
	return f
}

// Rule 7 with review: a held token leaves held only for issued (approved)
// or voided (rejected, with a reason), once; it is never redeemed, expired,
// drawn or fulfilled while held, whatever tandem_app (or the owner) writes.
func TestSchemaHeldRewards(t *testing.T) {
	r := newRawDB(t)
	f := newReviewFixture(t, r)
	set := func(id, assignments string) sqlStmt {
		return q(`UPDATE reward_tokens SET `+assignments+` WHERE id = $1`, id)
	}
	approve := func(id string) sqlStmt { return set(id, "status = 'issued'") }
	reject := func(id string) sqlStmt {
		return set(id, "status = 'voided', status_changed_at = now(), review_reason = 'a ring of friends'")
	}
	draw := q(`INSERT INTO raffle_draws (id, campaign_id, winners, seed, drawn_by) VALUES ('rfl_test', $1, 1, repeat('a', 64), 'test')`,
		r.campaign(f.tenant, "all"))
	transition, shape := "reward_status_transition", "reward_review_shape"

	r.run(t, f.tenant, []attack{
		{name: "redeem a held token", stmt: set(f.ticket, "status = 'redeemed', status_changed_at = now()"), code: checkViolation, constraint: transition},
		{name: "expire a held token", stmt: set(f.coupon, "status = 'expired', status_changed_at = now()"), code: checkViolation, constraint: transition},
		{name: "draw a held ticket", setup: []sqlStmt{draw},
			stmt: set(f.ticket, "status = 'redeemed', status_changed_at = now(), raffle_draw_id = 'rfl_test'"), code: checkViolation, constraint: transition},
		{name: "put a held ticket in a draw", setup: []sqlStmt{draw},
			stmt: set(f.ticket, "raffle_draw_id = 'rfl_test'"), code: checkViolation, constraint: "reward_raffle_ticket"},
		{name: "redeem a held token as owner", owner: true,
			stmt: set(f.ticket, "status = 'redeemed', status_changed_at = now()"), code: checkViolation, constraint: transition},
		{name: "a fulfilment for a held coupon, as tandem_app",
			stmt: q(`INSERT INTO reward_fulfilments (reward_id) VALUES ($1)`, f.coupon), code: insufficientPriv},
		{name: "a fulfilment for a held coupon, as the referee", owner: true, setup: asReferee,
			stmt: q(`INSERT INTO reward_fulfilments (tenant_id, reward_id) VALUES ($1, $2)`, f.tenant, f.coupon),
			code: checkViolation, constraint: "fulfilment_follows_reward"},
		{name: "a fulfilment for a held coupon, as owner", owner: true,
			stmt: q(`INSERT INTO reward_fulfilments (tenant_id, reward_id) VALUES ($1, $2)`, f.tenant, f.coupon),
			code: checkViolation, constraint: "fulfilment_follows_reward"},
		{name: "reject without a reason", stmt: set(f.coupon, "status = 'voided', status_changed_at = now()"),
			code: checkViolation, constraint: "reward_rejected_with_reason"},
		{name: "approve with a reason", stmt: set(f.coupon, "status = 'issued', review_reason = 'fine'"), code: checkViolation, constraint: shape},
		{name: "a reason on a token still held", stmt: set(f.coupon, "review_reason = 'later'"), code: checkViolation, constraint: shape},
		{name: "a settling time on a token still held", stmt: set(f.coupon, "status_changed_at = now()"), code: checkViolation, constraint: "reward_status_time"},
		{name: "forge a review time as tandem_app", stmt: set(f.coupon, "reviewed_at = now()"), code: insufficientPriv},
		{name: "set an expiry while held as tandem_app", stmt: set(f.coupon, "expires_at = now()"), code: insufficientPriv},
		{name: "hold an issued token", stmt: set(f.issued, "status = 'held'"), code: checkViolation, constraint: transition},
		{name: "hold an issued token as owner", owner: true, stmt: set(f.issued, "status = 'held'"), code: checkViolation, constraint: transition},
		{name: "approve a rejected token", setup: []sqlStmt{reject(f.coupon)},
			stmt: set(f.coupon, "status = 'issued', status_changed_at = NULL, review_reason = NULL"), code: checkViolation, constraint: transition},
		{name: "reword a rejection", setup: []sqlStmt{reject(f.coupon)},
			stmt: set(f.coupon, "review_reason = 'another'"), code: checkViolation, constraint: shape},
		{name: "hold an approved token again", setup: []sqlStmt{approve(f.coupon)},
			stmt: set(f.coupon, "status = 'held'"), code: checkViolation, constraint: transition},
		{name: "approving twice changes nothing the second time", setup: []sqlStmt{approve(f.coupon)},
			stmt: q(`UPDATE reward_tokens SET status = 'issued' WHERE id = $1 AND status = 'held'`, f.coupon), rows: 0},
		{name: "control: an approved coupon gets its fulfilment, its expiry and its review time", setup: []sqlStmt{approve(f.coupon)},
			stmt: q(`SELECT FROM reward_tokens r JOIN reward_fulfilments f ON f.tenant_id = r.tenant_id AND f.reward_id = r.id
				WHERE r.id = $1 AND f.status = 'pending' AND r.reviewed_at = now() AND r.review_reason IS NULL
				  AND r.expires_at = now() + interval '30 days'`, f.coupon), rows: 1},
		{name: "control: an approved ticket is redeemed", setup: []sqlStmt{approve(f.ticket)},
			stmt: set(f.ticket, "status = 'redeemed', status_changed_at = now()"), rows: 1},
		{name: "control: a rejected coupon has no fulfilment and keeps its reason", setup: []sqlStmt{reject(f.coupon)},
			stmt: q(`SELECT FROM reward_tokens r WHERE r.id = $1 AND r.reviewed_at = now() AND r.review_reason = 'a ring of friends'
				AND NOT EXISTS (SELECT FROM reward_fulfilments f WHERE f.tenant_id = r.tenant_id AND f.reward_id = r.id)`, f.coupon), rows: 1},
	})
}

// The risk on an invitation only rises, its level is its signals', and a
// claim carrying a high risk is refused where the version blocks it.
func TestSchemaInvitationRisk(t *testing.T) {
	r := newRawDB(t)
	f := newReviewFixture(t, r)
	risk := func(id, signals, level string) sqlStmt {
		return q(`UPDATE invitations SET risk_signals = $2::jsonb, risk_level = $3 WHERE id = $1`, id, nullIfEmpty(signals), nullIfEmpty(level))
	}
	claim := func(id, signals, level string) sqlStmt {
		return q(`UPDATE invitations SET guest_id = $2, risk_signals = $3::jsonb, risk_level = $4 WHERE id = $1`,
			id, f.erin, nullIfEmpty(signals), nullIfEmpty(level))
	}
	high := `[{"code": "blocklisted", "level": "high", "detail": "*@example.com"}]`
	medium := `[{"code": "velocity", "level": "medium", "detail": "6 claims in an hour"}]`
	r.run(t, f.tenant, []attack{
		{name: "lower a recorded risk", stmt: risk(f.risky, medium, "medium"), code: checkViolation, constraint: "invitation_risk_only_rises"},
		{name: "clear a recorded risk", stmt: risk(f.risky, "", ""), code: checkViolation, constraint: "invitation_risk_only_rises"},
		{name: "a level below the signals'", stmt: risk(f.permissive, high, "medium"), code: checkViolation, constraint: "invitation_risk_level"},
		{name: "a level without a signal", stmt: risk(f.permissive, "", "high"), code: checkViolation, constraint: "invitation_risk_level"},
		{name: "a signal of an unknown level", stmt: risk(f.permissive, `[{"code": "x", "level": "low"}]`, ""),
			code: checkViolation, constraint: "invitation_risk_signals"},
		{name: "a signal without a code", stmt: risk(f.permissive, `[{"level": "high"}]`, "high"),
			code: checkViolation, constraint: "invitation_risk_signals"},
		{name: "a high-risk claim where the version blocks it", stmt: claim(f.blocking, high, "high"),
			code: checkViolation, constraint: "claim_blocked"},
		{name: "a high-risk claim as owner where the version blocks it", owner: true, stmt: claim(f.blocking, high, "high"),
			code: checkViolation, constraint: "claim_blocked"},
		{name: "turn off a published version's review as owner", owner: true,
			stmt: q(`UPDATE campaign_versions SET review = 'off' WHERE campaign_id = $1`, r.campaign(f.tenant, "all")),
			code: checkViolation, constraint: "published_version_immutable"},
		{name: "block high risk without review", owner: true,
			stmt: q(`INSERT INTO campaign_versions (tenant_id, campaign_id, version, block_high_risk) VALUES ($1, $2, 9, true)`,
				f.tenant, r.campaign(f.tenant, "off")),
			code: checkViolation, constraint: "version_block_needs_review"},
		{name: "no velocity limit at all", owner: true,
			stmt: q(`INSERT INTO campaign_versions (tenant_id, campaign_id, version, velocity_claims) VALUES ($1, $2, 9, 0)`,
				f.tenant, r.campaign(f.tenant, "off")),
			code: checkViolation, constraint: "version_velocity_claims"},
		{name: "a velocity window longer than 30 days", owner: true,
			stmt: q(`INSERT INTO campaign_versions (tenant_id, campaign_id, version, velocity_window_minutes) VALUES ($1, $2, 9, 43201)`,
				f.tenant, r.campaign(f.tenant, "off")),
			code: checkViolation, constraint: "version_velocity_window"},
		{name: "loosen a published version's velocity as owner", owner: true,
			stmt: q(`UPDATE campaign_versions SET velocity_claims = 1000 WHERE campaign_id = $1`, r.campaign(f.tenant, "all")),
			code: checkViolation, constraint: "published_version_immutable"},
		{name: "control: a medium-risk claim where the version blocks high risk", stmt: claim(f.blocking, medium, "medium"), rows: 1},
		{name: "control: a high-risk claim where the version holds instead", stmt: claim(f.permissive, high, "high"), rows: 1},
		{name: "control: the risk rises", stmt: risk(f.risky, `[{"code": "ring", "level": "high"}, {"code": "velocity", "level": "medium"}]`, "high"), rows: 1},
		{name: "control: erasure blanks the evidence", stmt: risk(f.risky, `[{"code": "ring", "level": "high", "detail": ""}]`, "high"), rows: 1},
	})
}

// nullIfEmpty is nil for "", s otherwise: a NULL parameter.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
