package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Participant is an end user of the tenant's platform.
type Participant struct {
	ID          string  `json:"id"`
	ExternalID  string  `json:"external_id"`
	Email       *string `json:"email"`
	Phone       *string `json:"phone"`
	DisplayName string  `json:"display_name"`
	// StripeCustomerID is the participant's customer in the tenant's
	// Stripe, for Stripe rewards.
	StripeCustomerID *string   `json:"stripe_customer_id"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	// ErasedAt is when the participant was erased (EraseParticipant): their
	// external id is then a pseudonym and their personal data gone.
	ErasedAt *time.Time `json:"erased_at"`
}

// ParticipantInput upserts a participant. A nil field keeps the stored
// value; an empty string clears it.
type ParticipantInput struct {
	ExternalID  string
	Email       *string
	Phone       *string
	DisplayName *string
	// StripeCustomerID: nil keeps, "" clears.
	StripeCustomerID *string
	// ExistingCustomer: the tenant says the participant is already its
	// customer (a referral of them carries existing_customer); nil keeps.
	ExistingCustomer *bool
	// Client is where the participant was seen from (nil: not known),
	// kept as keyed hashes for same_client.
	Client *Client
}

func (in ParticipantInput) validate() error {
	if err := validateExternalID("external_id", in.ExternalID); err != nil {
		return err
	}
	if in.Email != nil && *in.Email != "" && (!emailPattern.MatchString(*in.Email) || len(*in.Email) > 254) {
		return invalid("email", "invalid_email", "not an e-mail address")
	}
	if in.Phone != nil && *in.Phone != "" && !phonePattern.MatchString(*in.Phone) {
		return invalid("phone", "invalid_phone", "phone numbers are 4-20 digits with an optional leading +")
	}
	if in.StripeCustomerID != nil && *in.StripeCustomerID != "" && !stripeCustomerPattern.MatchString(*in.StripeCustomerID) {
		return invalid("stripe_customer_id", "invalid_stripe_customer_id", "a Stripe customer id looks like cus_ and letters and digits")
	}
	if in.DisplayName != nil {
		if err := validateText("display_name", *in.DisplayName, 0, 200); err != nil {
			return err
		}
	}
	return in.Client.validate()
}

const participantColumns = `id, external_id, email, phone, display_name, stripe_customer_id, created_at, updated_at, erased_at`

// UpsertParticipant creates or updates the participant with this external id
// and reports whether it was created.
func UpsertParticipant(ctx context.Context, in ParticipantInput) (Participant, bool, error) {
	if err := in.validate(); err != nil {
		return Participant{}, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Participant{}, false, err
	}
	var row struct {
		Participant
		Inserted bool
	}
	// A NULL input keeps the stored value (the flags say which were given);
	// an empty string clears it. updated_at takes the proposed row's, the
	// column's default now(): Citus refuses a function in DO UPDATE SET
	// unless it is IMMUTABLE, and now() is not.
	err = tx.Raw(`
		INSERT INTO participants AS p (tenant_id, external_id, email, phone, display_name, stripe_customer_id, existing_customer)
		VALUES (?, ?, NULLIF(?, ''), NULLIF(?, ''), coalesce(?, ''), NULLIF(?, ''), coalesce(?, false))
		ON CONFLICT (tenant_id, external_id) DO UPDATE SET
		  email = CASE WHEN ? THEN excluded.email ELSE p.email END,
		  phone = CASE WHEN ? THEN excluded.phone ELSE p.phone END,
		  display_name = CASE WHEN ? THEN excluded.display_name ELSE p.display_name END,
		  stripe_customer_id = CASE WHEN ? THEN excluded.stripe_customer_id ELSE p.stripe_customer_id END,
		  existing_customer = CASE WHEN ? THEN excluded.existing_customer ELSE p.existing_customer END,
		  updated_at = excluded.updated_at
		RETURNING `+participantColumns+`, (xmax = 0) AS inserted`,
		tenantOf(ctx), in.ExternalID, in.Email, in.Phone, in.DisplayName, in.StripeCustomerID, in.ExistingCustomer,
		in.Email != nil, in.Phone != nil, in.DisplayName != nil, in.StripeCustomerID != nil, in.ExistingCustomer != nil).Scan(&row).Error
	if err != nil {
		return Participant{}, false, dbError("upsert participant", err, nil)
	}
	hashes, err := clientHashes(ctx, in.Client)
	if err != nil {
		return Participant{}, false, err
	}
	if err := recordClient(ctx, row.ID, hashes); err != nil {
		return Participant{}, false, err
	}
	if in.ExistingCustomer != nil && *in.ExistingCustomer {
		if err := markExistingCustomer(ctx, row.ID); err != nil {
			return Participant{}, false, err
		}
	}
	return row.Participant, row.Inserted, nil
}

// GetParticipant returns the participant with this external id.
func GetParticipant(ctx context.Context, externalID string) (Participant, error) {
	tx, err := db(ctx)
	if err != nil {
		return Participant{}, err
	}
	var p Participant
	err = tx.Raw(`SELECT `+participantColumns+` FROM participants WHERE tenant_id = ? AND external_id = ?`,
		tenantOf(ctx), externalID).Take(&p).Error
	return p, dbError("get participant", err, ErrParticipantNotFound)
}

// qSearchParticipants: participants, newest first, optionally those whose
// external id or e-mail starts with a prefix (lower-cased): the stored
// lower-cased columns between the prefix and prefixEnd(prefix), so the
// parameters are the tenant, then prefix, prefix, end, prefix, end, then the page's. Row-level security lets only leakproof
// conditions use an index, which the byte-wise ~>=~ and ~<~ are and
// lower() and LIKE are not. Uses participants_recent, or the two *_prefix
// indexes (a BitmapOr) when searching.
const qSearchParticipants = `
	SELECT ` + participantColumns + `
	FROM participants p
	WHERE tenant_id = ?
	  AND (? = ''
	    OR (search_external_id ~>=~ ? AND search_external_id ~<~ ?)
	    OR (search_email ~>=~ ? AND search_email ~<~ ?))
	  AND (? = '' OR (created_at, id) < (SELECT created_at, id FROM participants WHERE tenant_id = p.tenant_id AND id = ?))
	ORDER BY created_at DESC, id DESC
	LIMIT ?`

// SearchParticipants returns participants newest first, only those whose
// external id or e-mail starts with query (ignoring case) when it is not
// empty.
func SearchParticipants(ctx context.Context, query string, page Page) ([]Participant, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var ps []Participant
	prefix := strings.ToLower(strings.TrimSpace(query))
	end := prefixEnd(prefix)
	err = tx.Raw(qSearchParticipants, tenantOf(ctx), prefix, prefix, end, prefix, end, page.After, page.After, page.limit()+1).Scan(&ps).Error
	if err != nil {
		return nil, false, fmt.Errorf("search participants: %w", err)
	}
	ps, more := trimPage(page, ps)
	return ps, more, nil
}

// filterParticipant returns the id of the participant with externalID, for
// a list filter: "" (any) when externalID is empty, ErrParticipantNotFound
// when there is no such participant.
func filterParticipant(ctx context.Context, externalID string) (string, error) {
	if externalID == "" {
		return "", nil
	}
	p, err := GetParticipant(ctx, externalID)
	return p.ID, err
}

// filterCampaign is the id of the campaign a list filter names by slug,
// so that the list's query compares the column its indexes lead with
// rather than a joined slug; "" for no filter. A slug no campaign has
// matches nothing: ok is false.
func filterCampaign(ctx context.Context, slug string) (id string, ok bool, err error) {
	if slug == "" {
		return "", true, nil
	}
	c, err := GetCampaign(ctx, slug)
	if errors.Is(err, ErrCampaignNotFound) {
		return "", false, nil
	}
	return c.ID, err == nil, err
}

// participantID returns the id of the participant externalID names,
// creating it on first mention (participant_id in the schema), for a
// statement that then uses the id as a value.
func participantID(ctx context.Context, externalID string) (string, error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var id string
	err = tx.Raw(`SELECT participant_id(?)`, externalID).Scan(&id).Error
	return id, dbError("find participant", err, nil)
}
