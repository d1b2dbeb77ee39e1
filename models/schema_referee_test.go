package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// The app role cannot bend a rule (migrations/00012_referee.sql): it cannot
// create the objects a function might resolve before the real ones, nor
// write what only the schema writes.

func TestSchemaAppRoleCreatesNothing(t *testing.T) {
	r := newRawDB(t)
	tenant := env.NewTenant(t, "").TenantID
	r.run(t, tenant, []attack{
		// A temporary table named invitations would be looked up before the
		// real one by any function that does not pin its search_path.
		{name: "a temporary table", stmt: q(`CREATE TEMP TABLE invitations (id text)`),
			code: insufficientPriv, msg: "permission denied to create temporary tables"},
		{name: "a table in public", stmt: q(`CREATE TABLE public.shadow (id text)`),
			code: insufficientPriv, msg: "permission denied for schema public"},
		{name: "a schema", stmt: q(`CREATE SCHEMA shadow`),
			code: insufficientPriv, msg: "permission denied for database"},
		{name: "a function in public", stmt: q(`CREATE FUNCTION public.app_tenant_id(x int) RETURNS int LANGUAGE sql AS 'SELECT 1'`),
			code: insufficientPriv, msg: "permission denied for schema public"},
	})
}

// Every function pins search_path = public, pg_temp, so that none, running
// as its caller, can be pointed at a caller's object of the same name.
func TestSchemaCatalogFunctionsPinSearchPath(t *testing.T) {
	r := newRawDB(t)
	var all int
	var unpinned []string
	r.scan(uuid.Nil, q(`
		SELECT count(*), coalesce(array_agg(p.oid::regprocedure::text ORDER BY 1)
		         FILTER (WHERE NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c = 'search_path=public, pg_temp')), '{}')
		FROM pg_proc p
		WHERE p.pronamespace = 'public'::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`), &all, &unpinned)
	if all < 30 {
		t.Fatalf("found only %d functions in public", all)
	}
	for _, f := range unpinned {
		t.Errorf("%s does not pin search_path = public, pg_temp", f)
	}
}

func TestSchemaReservedEventsOnlyBySchema(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var pending, claimed models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "reserved", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		var err error
		if pending, err = models.CreateInvitation(ctx, "reserved", models.InvitationInput{Host: "alice"}); err != nil {
			return err
		}
		if claimed, err = models.CreateInvitation(ctx, "reserved", models.InvitationInput{Host: "alice"}); err != nil {
			return err
		}
		claimed, err = models.Claim(ctx, claimed.Code, "bob")
		return err
	})
	r := newRawDB(t)
	bob := r.participant(tenant, "bob")
	claimEvents := func() int64 {
		return r.int(tenant, `SELECT count(*) FROM events WHERE participant_id = $1 AND name = 'invitation_claimed'`, bob)
	}
	if n := claimEvents(); n != 1 {
		t.Fatalf("the claim recorded %d invitation_claimed events, want 1", n)
	}
	r.run(t, tenant, []attack{
		{name: "the app records a claim itself",
			stmt: q(`INSERT INTO events (participant_id, name) VALUES ($1, 'invitation_claimed')`, bob),
			code: insufficientPriv, msg: `row-level security policy for table "events`},
		{name: "the schema's recorder, for a claim that did not happen",
			stmt: q(`SELECT record_claim_event($1)`, pending.ID), code: checkViolation, constraint: "reserved_event"},
		{name: "control: the recorder, for the claim again", stmt: q(`SELECT record_claim_event($1)`, claimed.ID), rows: 1},
	})
	if n := claimEvents(); n != 1 {
		t.Fatalf("%d invitation_claimed events after the attacks, want 1", n)
	}
}

// The registry of codes keeps each code to one tenant, for good (00044:
// tandem_app registers codes itself, through register_code, since on Citus
// a code registered over another role's connection is invisible to the
// invitation that uses it).
func TestSchemaCodesBoundToTheirTenant(t *testing.T) {
	a, b := env.NewTenant(t, "").TenantID, env.NewTenant(t, "").TenantID
	var code string
	env.InTenant(t, a, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "codes", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		inv, err := models.CreateInvitation(ctx, "codes", models.InvitationInput{Host: "alice"})
		code = inv.Code
		return err
	})
	r := newRawDB(t)
	r.run(t, b, []attack{
		{name: "B takes A's code",
			stmt: q(`INSERT INTO invite_codes (code, kind) VALUES ($1, 'invitation')`, code),
			code: uniqueViolation, constraint: "invite_codes_pkey"},
		{name: "B registers a code for A",
			stmt: q(`INSERT INTO invite_codes (tenant_id, code, kind) VALUES ($1, 'ABCDEFGH', 'invitation')`, a),
			code: insufficientPriv, msg: "row-level security"},
		{name: "B moves A's code to itself",
			stmt: q(`UPDATE invite_codes SET tenant_id = app_tenant_id() WHERE code = $1`, code),
			code: insufficientPriv, msg: "permission denied for table invite_codes"},
		{name: "B deletes A's code",
			stmt: q(`DELETE FROM invite_codes WHERE code = $1`, code),
			code: insufficientPriv, msg: "permission denied for table invite_codes"},
		// Whatever the grants (on Citus tandem_app holds UPDATE (kind) for
		// Citus's lock), a code never changes.
		{name: "even the owner changes a code's kind", owner: true,
			stmt: q(`UPDATE invite_codes SET kind = 'referrer_code' WHERE code = $1`, code),
			code: checkViolation, constraint: "append_only"},
		{name: "even the owner deletes a code", owner: true,
			stmt: q(`DELETE FROM invite_codes WHERE code = $1`, code),
			code: checkViolation, constraint: "append_only"},
		// ingest_events takes the tenant as an argument (so that Citus
		// delegates it to the tenant's worker) and accepts only the
		// transaction's own.
		{name: "B ingests an event for A",
			stmt: q(`SELECT * FROM ingest_events($1, ARRAY['alice'], ARRAY['signup_complete'], ARRAY[NULL]::text[],
				ARRAY[NULL]::timestamptz[], ARRAY[NULL]::jsonb[])`, a),
			code: insufficientPriv, msg: "is not the transaction's"},
		{name: "control: B registers a code for itself", stmt: q(`SELECT register_code('invitation')`), rows: 1},
	})
}

func TestSchemaCaps(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var campaignID string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		must(t, err)
		amount := int64(100)
		c, _, err := models.SaveCampaignDraft(ctx, "caps", models.CampaignInput{Name: "Caps", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"signup_complete"}, Milestones: []models.Milestone{
				{Count: 1, Reward: models.Reward{Description: "one", Kind: "cash", Amount: &amount, Currency: "USD"}}}}})
		campaignID = c.ID
		return err
	})
	r := newRawDB(t)
	r.run(t, tenant, []attack{
		{name: "a 21st quest step",
			stmt: q(`INSERT INTO campaign_version_steps (campaign_id, version, position, event_name) VALUES ($1, 1, 21, 'signup_complete')`, campaignID),
			code: checkViolation, constraint: "quest_steps_cap"},
		{name: "a 101st milestone row",
			stmt: q(`INSERT INTO campaign_version_milestones (campaign_id, version, nth, reward_description, reward_kind) VALUES ($1, 1, 101, 'x', 'custom')`, campaignID),
			code: checkViolation, constraint: "milestones_cap"},
		{name: "a milestone worth more than 10^12 minor units",
			stmt: q(`UPDATE campaign_version_milestones SET reward_amount = 1000000000001 WHERE campaign_id = $1`, campaignID),
			code: checkViolation, constraint: "reward_amount_cap"},
		{name: "a guest reward worth more than 10^12 minor units",
			stmt: q(`UPDATE campaign_versions SET guest_reward_description = 'x', guest_reward_kind = 'cash', guest_reward_quantity = 1,
				guest_reward_amount = 1000000000001, guest_reward_currency = 'USD' WHERE campaign_id = $1`, campaignID),
			code: checkViolation, constraint: "guest_reward_amount_cap"},
		{name: "a milestone of more than a million items",
			stmt: q(`UPDATE campaign_version_milestones SET reward_quantity = 1000001 WHERE campaign_id = $1`, campaignID),
			code: checkViolation, constraint: "reward_quantity_cap"},
		{name: "control: a milestone worth exactly 10^12",
			stmt: q(`UPDATE campaign_version_milestones SET reward_amount = 1000000000000 WHERE campaign_id = $1`, campaignID), rows: 1},
	})
}

// The largest rewards the schema allows, issued together at every
// completion, add up on the dashboard: no sum can overflow (it once failed
// the completing event with "bigint out of range" at commit).
func TestLargestRewardsComplete(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	const largest = int64(1_000_000_000_000)
	const guests = 5
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "big", mode: models.ModeInvitation, steps: []string{"signup_complete"},
			milestones: []int64{largest}, repeatLast: true, guestAmount: largest})
		return nil
	})
	for i := range guests {
		guest := "guest-" + string(rune('a'+i))
		env.InTenant(t, tenant, func(ctx context.Context) error {
			inv, err := models.CreateInvitation(ctx, "big", models.InvitationInput{Host: "alice"})
			must(t, err)
			_, err = models.Claim(ctx, inv.Code, guest)
			must(t, err)
			return event(ctx, guest, "signup_complete")
		})
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		c, err := models.GetCampaign(ctx, "big")
		must(t, err)
		d, err := models.LoadDashboard(ctx, c, time.Now())
		must(t, err)
		if d.Funnel.Completed != guests {
			t.Fatalf("%d completed, want %d", d.Funnel.Completed, guests)
		}
		var usd int64
		for _, total := range d.Rewards {
			if total.Currency == "USD" {
				usd += total.IssuedAmount
			}
		}
		if want := 2 * guests * largest; usd != want {
			t.Fatalf("USD issued %d, want %d", usd, want)
		}
		return nil
	})
	// The rollup sums are numeric: their type, not the count of rewards so
	// far, is what keeps them from overflowing.
	r := newRawDB(t)
	var types []string
	r.scan(uuid.Nil, q(`SELECT array_agg(DISTINCT data_type) FROM information_schema.columns
		WHERE table_name = 'campaign_reward_rollups' AND (column_name LIKE '%amount' OR column_name LIKE '%quantity')`), &types)
	if strings.Join(types, ",") != "numeric" {
		t.Fatalf("rollup amount and quantity columns are %v, want numeric", types)
	}
}
