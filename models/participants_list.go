package models

import (
	"context"
	"fmt"
	"time"
)

// ParticipantFilter selects participants; an empty field matches any.
type ParticipantFilter struct {
	// ExternalID is matched exactly.
	ExternalID string
	// Email is matched ignoring case, as search_email stores it.
	Email string
	// CreatedAfter keeps the participants created strictly after it.
	CreatedAfter *time.Time
}

func (f ParticipantFilter) validate() error {
	if f.ExternalID != "" {
		if err := validateExternalID("external_id", f.ExternalID); err != nil {
			return err
		}
	}
	if f.Email != "" && (!IsText(f.Email) || !emailPattern.MatchString(f.Email) || len(f.Email) > 254) {
		return invalid("email", "invalid_email", "not an e-mail address")
	}
	return nil
}

// qListParticipants: the tenant's participants, newest first, filtered by
// exact external id (the (tenant_id, external_id) key), e-mail ignoring
// case (participants_email_prefix: the lower-casing is the schema's own
// lower(), the one search_email is generated with, applied to the
// parameter) and creation time (participants_recent). The tenant comes
// first, then each filter's value twice, then the page's.
const qListParticipants = `
	SELECT ` + participantColumns + `
	FROM participants p
	WHERE tenant_id = ?
	  AND (? = '' OR external_id = ?)
	  AND (? = '' OR search_email = lower(?))
	  AND (?::timestamptz IS NULL OR created_at > ?)
	  AND (? = '' OR (created_at, id) < (SELECT created_at, id FROM participants WHERE tenant_id = p.tenant_id AND id = ?))
	ORDER BY created_at DESC, id DESC
	LIMIT ?`

// ListParticipants returns the participants f selects, newest first.
func ListParticipants(ctx context.Context, f ParticipantFilter, page Page) ([]Participant, bool, error) {
	if err := f.validate(); err != nil {
		return nil, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var ps []Participant
	err = tx.Raw(qListParticipants, tenantOf(ctx), f.ExternalID, f.ExternalID, f.Email, f.Email,
		f.CreatedAfter, f.CreatedAfter, page.After, page.After, page.limit()+1).Scan(&ps).Error
	if err != nil {
		return nil, false, fmt.Errorf("list participants: %w", err)
	}
	ps, more := trimPage(page, ps)
	return ps, more, nil
}
