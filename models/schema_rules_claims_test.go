package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// Not a schema rule, but found while building these fixtures: the upsert
// behind POST /v1/participants failed for every input. gorm replaced
// "@email" with a placeholder but left "@email::text" as written, which
// PostgreSQL read as the prefix operator @ (absolute value) applied to the
// column email: "column reference "email" is ambiguous" (42702).
func TestSchemaGoUpsertParticipant(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	email := "bob@example.com"
	for _, in := range []models.ParticipantInput{{ExternalID: "bob", Email: &email}, {ExternalID: "carol"}} {
		err := env.TryInTenant(tenant, func(ctx context.Context) error {
			_, _, err := models.UpsertParticipant(ctx, in)
			return err
		})
		if err != nil {
			t.Errorf("UpsertParticipant(%+v): %v", in, err)
		}
	}
}

func mustInvite(t testing.TB, ctx context.Context, slug, host string) models.Invitation {
	t.Helper()
	inv, err := models.CreateInvitation(ctx, slug, models.InvitationInput{Host: host})
	must(t, err)
	return inv
}

func mustClaim(t testing.TB, ctx context.Context, code, guest string) models.Invitation {
	t.Helper()
	inv, err := models.Claim(ctx, code, guest)
	must(t, err)
	return inv
}

// Rule 1: an invitation is claimed at most once; a guest is referred at most
// once per campaign; a host cannot refer themself.
func TestSchemaRule1ClaimedOnceNoSelfReferral(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var claimed, pending, spare models.Invitation
	var aliceCode, carolCode string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		addParticipants(t, tenant, "dave", "erin")
		publish(t, ctx, campaignSpec{slug: "manual", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		claimed = mustClaim(t, ctx, mustInvite(t, ctx, "manual", "alice").Code, "bob")
		pending = mustInvite(t, ctx, "manual", "carol")
		spare = mustInvite(t, ctx, "manual", "alice")
		publish(t, ctx, campaignSpec{slug: "codes", mode: models.ModeReferrerCode, steps: []string{"signup_complete"}})
		var err error
		aliceCode, err = models.ReferrerCode(ctx, "codes", "alice")
		must(t, err)
		carolCode, err = models.ReferrerCode(ctx, "codes", "carol")
		must(t, err)
		mustClaim(t, ctx, aliceCode, "bob")
		return nil
	})
	r := newRawDB(t)
	alice, bob, dave := r.participant(tenant, "alice"), r.participant(tenant, "bob"), r.participant(tenant, "dave")
	// bob is a guest in both campaigns: once per campaign, not once overall.
	if n := r.int(tenant, `SELECT count(DISTINCT campaign_id) FROM invitations WHERE guest_id = $1`, bob); n != 2 {
		t.Fatalf("fixture: bob is a guest in %d campaigns, want 2", n)
	}
	signUp := `INSERT INTO invitations (campaign_id, kind, host_id, referrer_code, guest_id)
		SELECT campaign_id, 'referrer_code', host_id, code, $2 FROM referrer_codes WHERE code = $1`

	r.run(t, tenant, []attack{
		{name: "claim an already claimed invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, dave, claimed.ID),
			code: checkViolation, constraint: "invitation_already_claimed"},
		{name: "claim it again for the same guest with a new claim time",
			stmt: q(`UPDATE invitations SET claimed_at = now() - interval '1 day' WHERE id = $1`, claimed.ID),
			code: checkViolation, constraint: "invitation_already_claimed"},
		{name: "unclaim an invitation",
			stmt: q(`UPDATE invitations SET guest_id = NULL, claimed_at = NULL, version = NULL, progress = 0 WHERE id = $1`, claimed.ID),
			code: checkViolation, constraint: "invitation_already_claimed"},
		{name: "insert a manual invitation already claimed",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, guest_id) VALUES ($1, 'invitation', $2, $3)`,
				r.campaign(tenant, "manual"), alice, dave),
			code: checkViolation, constraint: "invitation_shape"},
		{name: "insert a manual invitation without a code",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id) VALUES ($1, 'invitation', $2)`, r.campaign(tenant, "manual"), alice),
			code: checkViolation, constraint: "invitation_shape"},
		{name: "insert a manual invitation with a code the schema never drew",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, code) VALUES ($1, 'invitation', $2, 'ABCDEFGH')`, r.campaign(tenant, "manual"), alice),
			code: foreignKeyViolation, constraint: "invitations_tenant_id_code_kind_fkey"},
		{name: "insert a manual invitation with another invitation's code",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, code) VALUES ($1, 'invitation', $2, $3)`, r.campaign(tenant, "manual"), alice, pending.Code),
			code: uniqueViolation, constraint: "invitations_tenant_id_code_key"},
		{name: "refer a guest twice in a manual campaign",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, bob, pending.ID),
			code: uniqueViolation, constraint: "guest_once_per_campaign"},
		{name: "refer a guest twice in a referrer-code campaign",
			stmt: q(signUp, carolCode, bob),
			code: uniqueViolation, constraint: "guest_once_per_campaign"},
		{name: "refer a guest twice with the same referrer code",
			stmt: q(signUp, aliceCode, bob),
			code: uniqueViolation, constraint: "guest_once_per_campaign"},
		{name: "host claims their own invitation",
			stmt: q(`UPDATE invitations SET guest_id = host_id WHERE id = $1`, spare.ID),
			code: checkViolation, constraint: "self_referral"},
		{name: "host signs up with their own referrer code",
			stmt: q(signUp, aliceCode, alice),
			code: checkViolation, constraint: "self_referral"},
		{name: "control: a new guest claims a pending invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, dave, spare.ID), rows: 1},
		{name: "control: a new guest signs up with a referrer code",
			stmt: q(signUp, carolCode, dave), rows: 1},
	})

	t.Run("first claim wins under concurrency", func(t *testing.T) {
		var inv models.Invitation
		env.InTenant(t, tenant, func(ctx context.Context) error {
			inv = mustInvite(t, ctx, "manual", "frank")
			addParticipants(t, tenant, "race1", "race2", "race3", "race4", "race5", "race6", "race7", "race8")
			return nil
		})
		errs := runConcurrently(8, func(i int) error {
			return env.TryInTenant(tenant, func(ctx context.Context) error {
				_, err := models.Claim(ctx, inv.Code, fmt.Sprintf("race%d", i+1))
				return err
			})
		})
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, models.ErrInvitationAlreadyClaimed):
				t.Errorf("losing claim: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d claims won, want exactly 1", wins)
		}
		if n := r.int(tenant, `SELECT count(*) FROM events e JOIN participants p ON p.tenant_id = e.tenant_id AND p.id = e.participant_id
			WHERE p.external_id LIKE 'race_' AND e.name = 'invitation_claimed'`); n != 1 {
			t.Fatalf("%d invitation_claimed events among the racing guests, want 1", n)
		}
	})

	t.Run("a guest claiming two invitations at once is referred once", func(t *testing.T) {
		var a, b models.Invitation
		env.InTenant(t, tenant, func(ctx context.Context) error {
			a, b = mustInvite(t, ctx, "manual", "gina"), mustInvite(t, ctx, "manual", "hank")
			addParticipants(t, tenant, "ivy")
			return nil
		})
		codes := []string{a.Code, b.Code}
		errs := runConcurrently(2, func(i int) error {
			return env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.Claim(ctx, codes[i], "ivy"); return err })
		})
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("want exactly one claim to win: %v", errs)
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, models.ErrGuestAlreadyReferred) {
				t.Fatalf("losing claim: %v", err)
			}
		}
	})
}

// Rule 1: a claim needs an unexpired invitation. now() cannot be faked, so
// the fixture is made old instead: the owner back-dates a fresh invitation's
// created_at/expires_at with session_replication_role = replica, which
// silences the trigger that keeps those columns fixed for that one UPDATE.
// The claim then goes through the real trigger as tandem_app.
func TestSchemaRule1ExpiredInvitation(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var old, fresh models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "expiry", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		old, fresh = mustInvite(t, ctx, "expiry", "alice"), mustInvite(t, ctx, "expiry", "alice")
		addParticipants(t, tenant, "bob")
		return nil
	})
	r := newRawDB(t)
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE invitations SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
			WHERE tenant_id = ? AND id = ?`, tenant.String(), old.ID)
		if res.Error == nil && res.RowsAffected != 1 {
			t.Fatalf("back-dated %d invitations", res.RowsAffected)
		}
		return res.Error
	})

	bob := r.participant(tenant, "bob")
	r.run(t, tenant, []attack{
		{name: "claim an expired invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, bob, old.ID),
			code: checkViolation, constraint: "invitation_expired"},
		{name: "extend an invitation's expiry",
			stmt: q(`UPDATE invitations SET expires_at = now() + interval '1 day' WHERE id = $1`, old.ID),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "control: claim an unexpired invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, bob, fresh.ID), rows: 1},
	})
	err := env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.Claim(ctx, old.Code, "bob"); return err })
	if !errors.Is(err, models.ErrInvitationExpired) {
		t.Fatalf("models.Claim of an expired invitation: %v", err)
	}
}

// Rule 2: an invitation's kind matches its campaign's mode; nothing can be
// claimed in a campaign that is not active.
func TestSchemaRule2ModeAndLiveCampaign(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var pending models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		addParticipants(t, tenant, "dave")
		publish(t, ctx, campaignSpec{slug: "manual", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		pending = mustInvite(t, ctx, "manual", "alice")
		publish(t, ctx, campaignSpec{slug: "codes", mode: models.ModeReferrerCode, steps: []string{"signup_complete"}})
		_, err := models.ReferrerCode(ctx, "codes", "alice")
		must(t, err)
		for slug, mode := range map[string]string{"draft": models.ModeInvitation, "draft-codes": models.ModeReferrerCode} {
			_, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: slug, Mode: mode,
				Rules: models.Rules{Steps: []string{"signup_complete"}}})
			must(t, err)
		}
		return nil
	})
	r := newRawDB(t)
	alice, dave := r.participant(tenant, "alice"), r.participant(tenant, "dave")
	manual, codes := r.campaign(tenant, "manual"), r.campaign(tenant, "codes")
	draft, draftCodes := r.campaign(tenant, "draft"), r.campaign(tenant, "draft-codes")
	aliceCode := r.str(tenant, `SELECT code FROM referrer_codes WHERE campaign_id = $1 AND host_id = $2`, codes, alice)
	claimPending := q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, dave, pending.ID)
	signUp := func(campaign string) sqlStmt {
		return q(`INSERT INTO invitations (campaign_id, kind, host_id, referrer_code, guest_id)
			SELECT campaign_id, 'referrer_code', host_id, code, $2 FROM referrer_codes WHERE campaign_id = $1`, campaign, dave)
	}
	setStatus := func(campaign, status string) sqlStmt {
		return q(`UPDATE campaigns SET status = $2 WHERE id = $1`, campaign, status)
	}

	r.run(t, tenant, []attack{
		{name: "referrer-code invitation in an invitation-mode campaign",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, referrer_code, guest_id) VALUES ($1, 'referrer_code', $2, $3, $4)`,
				manual, alice, aliceCode, dave),
			code: foreignKeyViolation, constraint: "invitation_campaign_mode"},
		{name: "manual invitation in a referrer-code campaign",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, code) VALUES ($1, 'invitation', $2, register_code('invitation'))`, codes, alice),
			code: foreignKeyViolation, constraint: "invitation_campaign_mode"},
		{name: "referrer code in an invitation-mode campaign",
			stmt: q(`INSERT INTO referrer_codes (campaign_id, host_id) VALUES ($1, $2)`, manual, dave),
			code: foreignKeyViolation, constraint: "referrer_code_campaign_mode"},
		{name: "change an invitation's kind",
			stmt: q(`UPDATE invitations SET kind = 'referrer_code' WHERE id = $1`, pending.ID),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "move an invitation to another campaign",
			stmt: q(`UPDATE invitations SET campaign_id = $1 WHERE id = $2`, draft, pending.ID),
			code: checkViolation, constraint: "invitation_fields_fixed"},
		{name: "switch a published campaign's mode",
			stmt: q(`UPDATE campaigns SET mode = 'referrer_code' WHERE id = $1`, manual),
			code: checkViolation, constraint: "campaign_mode_fixed"},
		{name: "claim in a paused campaign",
			setup: []sqlStmt{setStatus(manual, "paused")}, stmt: claimPending,
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "claim in an ended campaign",
			setup: []sqlStmt{setStatus(manual, "ended")}, stmt: claimPending,
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "claim after the campaign's end date",
			setup: []sqlStmt{q(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, manual)},
			stmt:  claimPending, code: checkViolation, constraint: "campaign_not_active"},
		{name: "claim before the campaign's start date",
			setup: []sqlStmt{q(`UPDATE campaigns SET starts_at = now() + interval '1 hour' WHERE id = $1`, manual)},
			stmt:  claimPending, code: checkViolation, constraint: "campaign_not_active"},
		{name: "sign up with a referrer code in a paused campaign",
			setup: []sqlStmt{setStatus(codes, "paused")}, stmt: signUp(codes),
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "sign up with a referrer code in an ended campaign",
			setup: []sqlStmt{setStatus(codes, "ended")}, stmt: signUp(codes),
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "invite in a draft campaign",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id) VALUES ($1, 'invitation', $2)`, draft, alice),
			code: checkViolation, constraint: "campaign_not_active"},
		{name: "sign up with a referrer code in a draft campaign",
			setup: []sqlStmt{q(`INSERT INTO referrer_codes (campaign_id, host_id) VALUES ($1, $2)`, draftCodes, alice)},
			stmt:  signUp(draftCodes), code: checkViolation, constraint: "campaign_not_active"},
		{name: "activate a campaign that was never published",
			stmt: setStatus(draft, "active"), code: checkViolation, constraint: "campaign_published"},
		{name: "resume an ended campaign",
			setup: []sqlStmt{setStatus(manual, "ended")}, stmt: setStatus(manual, "active"),
			code: checkViolation, constraint: "campaign_status_transition"},
		{name: "send a campaign back to draft",
			stmt: setStatus(manual, "draft"), code: checkViolation, constraint: "campaign_status_transition"},
		{name: "control: claim in the active campaign", stmt: claimPending, rows: 1},
		{name: "control: claim after a pause and a resume",
			setup: []sqlStmt{setStatus(manual, "paused"), setStatus(manual, "active")}, stmt: claimPending, rows: 1},
		{name: "control: sign up with a referrer code in the active campaign", stmt: signUp(codes), rows: 1},
	})
}
