package models_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestSchemaInvitationSignalsFollowTheSignals: invitation_signals holds one
// row per code of an invitation's risk signals, whoever writes the
// signals: recorded through models, then rewritten in raw SQL (a code
// replaced by another of the same level, which the risk guard allows), the
// codes follow; and the app role can neither add a code the signals do
// not say nor remove one.
func TestSchemaInvitationSignalsFollowTheSignals(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var inv models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "signals", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		var err error
		if inv, err = models.CreateInvitation(ctx, "signals", models.InvitationInput{Host: "alice"}); err != nil {
			return err
		}
		if inv, err = models.Claim(ctx, inv.Code, "bob"); err != nil {
			return err
		}
		return models.RecordRisk(ctx, inv.ID, []models.RiskSignal{{Code: models.SignalVelocity, Level: models.RiskMedium, Detail: "fast"},
			{Code: models.SignalRing, Level: models.RiskHigh, Detail: "a ring"}})
	})
	r := newRawDB(t)
	codes := func() string {
		t.Helper()
		return r.str(tenant, `SELECT coalesce(string_agg(code, ',' ORDER BY code), '') FROM invitation_signals WHERE invitation_id = $1`, inv.ID)
	}
	if got := codes(); got != "ring,velocity" {
		t.Fatalf("recorded signals ring and velocity: codes %q", got)
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		return models.TxOf(ctx).Exec(`UPDATE invitations SET risk_signals =
			'[{"code": "ring", "level": "high", "detail": "a ring"}, {"code": "same_client", "level": "medium", "detail": "one browser"}]'
			WHERE tenant_id = ? AND id = ?`, tenant, inv.ID).Error
	})
	if got := codes(); got != "ring,same_client" {
		t.Fatalf("velocity replaced by same_client: codes %q", got)
	}
	r.run(t, tenant, []attack{
		{name: "the app adds a code", stmt: q(`INSERT INTO invitation_signals (invitation_id, code) VALUES ($1, 'blocklisted')`, inv.ID),
			code: insufficientPriv, msg: "permission denied for table invitation_signals"},
		{name: "the app removes a code", stmt: q(`DELETE FROM invitation_signals WHERE invitation_id = $1`, inv.ID),
			code: insufficientPriv, msg: "permission denied for table invitation_signals"},
		{name: "control: the app reads them", stmt: q(`SELECT * FROM invitation_signals WHERE invitation_id = $1`, inv.ID), rows: 2},
	})
}
