package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// RiskSignal is one reason to doubt a referral: a code (same_client,
// email_alias, …), its level (RiskMedium or RiskHigh) and its evidence in
// words, which participant erasure may blank.
type RiskSignal struct {
	Code   string `json:"code"`
	Level  string `json:"level"`
	Detail string `json:"detail"`
}

// Risk is what an invitation is found to carry: the level of its highest
// signal (nil without any) and the signals, as stored in
// invitations.risk_level and risk_signals.
type Risk struct {
	Level   *string      `json:"level"`
	Signals []RiskSignal `json:"signals"`
}

// riskColumn reads invitation i's risk as a Risk (JSON), signals [] for none.
const riskColumn = `jsonb_build_object('level', i.risk_level, 'signals', coalesce(i.risk_signals, '[]'::jsonb)) AS risk`

// rewardRiskColumn reads the risk of reward r's invitation, joined as ri
// (rewardRiskJoin): a join, not a subquery in the column list, which Citus
// cannot push down.
const rewardRiskColumn = `jsonb_build_object('level', ri.risk_level, 'signals', coalesce(ri.risk_signals, '[]'::jsonb)) AS risk`

// rewardRiskJoin joins reward r's invitation as ri.
const rewardRiskJoin = `
	JOIN invitations ri ON ri.tenant_id = r.tenant_id AND ri.id = r.invitation_id`

// riskLevel is the highest level of signals, or nil.
func riskLevel(signals []RiskSignal) *string {
	var level *string
	for _, s := range signals {
		if s.Level == RiskHigh {
			return &s.Level
		}
		level = &s.Level
	}
	return level
}

// mergeSignals adds each of more whose code old lacks: a signal, once
// recorded, keeps its first evidence (the schema keeps the level from
// going down whatever is written).
func mergeSignals(old, more []RiskSignal) []RiskSignal {
	out := slices.Clone(old)
	for _, s := range more {
		if !slices.ContainsFunc(out, func(o RiskSignal) bool { return o.Code == s.Code }) {
			out = append(out, s)
		}
	}
	return out
}

// riskColumns are signals as invitations.risk_signals and risk_level
// store them: NULL for none.
func riskColumns(signals []RiskSignal) (stored, level *string, err error) {
	if len(signals) == 0 {
		return nil, nil, nil
	}
	b, err := json.Marshal(signals)
	if err != nil {
		return nil, nil, fmt.Errorf("risk signals: %w", err)
	}
	s := string(b)
	return &s, riskLevel(signals), nil
}

// RecordRisk adds signals to the invitation's recorded risk. Recorded
// before the invitation completes, a risk at or above its version's
// review threshold holds the rewards the completion issues; after, it is
// on the record only (earlier completions are never judged again).
func RecordRisk(ctx context.Context, invitationID string, signals []RiskSignal) error {
	if len(signals) == 0 {
		return nil
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var row struct{ RiskSignals *string }
	err = tx.Raw(`SELECT risk_signals FROM invitations WHERE tenant_id = ? AND id = ? FOR UPDATE`, tenantOf(ctx), invitationID).
		Take(&row).Error
	if err != nil {
		return dbError("record risk", err, ErrInvitationNotFound)
	}
	var old []RiskSignal
	if row.RiskSignals != nil {
		if err := json.Unmarshal([]byte(*row.RiskSignals), &old); err != nil {
			return fmt.Errorf("record risk: stored signals: %w", err)
		}
	}
	merged := mergeSignals(old, signals)
	if len(merged) == len(old) {
		return nil
	}
	stored, level, err := riskColumns(merged)
	if err != nil {
		return err
	}
	err = tx.Exec(`UPDATE invitations SET risk_signals = ?::jsonb, risk_level = ? WHERE tenant_id = ? AND id = ?`,
		stored, level, tenantOf(ctx), invitationID).Error
	return dbError("record risk", err, nil)
}
