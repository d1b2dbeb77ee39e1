package models

import (
	"context"
	"time"
)

// ErrParticipantErased refuses personal data for an erased participant,
// named by its pseudonym (contact fields, the client they were seen from,
// an invitation's recipient): it stays erased (a new participant comes
// with a new external id, or the old one, which finds nothing any more).
var ErrParticipantErased = &Error{Conflict, "participant_erased",
	"this participant was erased, and nothing personal is recorded about them again; a participant under a new external id starts afresh"}

// Erasure is what erasing a participant answers: their internal id, which
// the facts kept about them still name, the pseudonym that replaced their
// external id, and when they were erased.
type Erasure struct {
	ID         string    `json:"id"`
	ExternalID string    `json:"external_id"`
	ErasedAt   time.Time `json:"erased_at"`
}

// EraseParticipant erases the participant with externalID through the
// schema's one path (erase_participant, docs/security.md "Personal data"):
// their personal data is blanked or pseudonymised, the referral's facts
// stay, and participant.erased is recorded. The audit entry names the
// participant by internal id only. Erasing an erased participant (by its
// pseudonym) changes nothing and answers the first erasure.
func EraseParticipant(ctx context.Context, externalID string) (Erasure, error) {
	p, err := GetParticipant(ctx, externalID)
	if err != nil {
		return Erasure{}, err
	}
	if p.ErasedAt != nil {
		return Erasure{ID: p.ID, ExternalID: p.ExternalID, ErasedAt: *p.ErasedAt}, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return Erasure{}, err
	}
	// Two statements: a statement does not see what a function it calls
	// wrote.
	if err := tx.Exec(`SELECT erase_participant(?, ?)`, tenantOf(ctx), p.ID).Error; err != nil {
		return Erasure{}, dbError("erase participant", err, nil)
	}
	var e Erasure
	err = tx.Raw(`SELECT id, external_id, erased_at FROM participants WHERE tenant_id = ? AND id = ?`, tenantOf(ctx), p.ID).Take(&e).Error
	if err != nil {
		return Erasure{}, dbError("erase participant", err, ErrParticipantNotFound)
	}
	if err := Audit(ctx, "participant.erased", p.ID, nil, map[string]any{"erased_at": e.ErasedAt}); err != nil {
		return Erasure{}, err
	}
	return e, nil
}
