package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
)

// WebhookEventTypes are the event types an endpoint may subscribe to
// (the check webhook_endpoints_events_check keeps the same list, last set by
// migrations/00055_participant_erasure.sql); "*" means all.
var WebhookEventTypes = []string{
	"invitation.created", "invitation.claimed", "quest.progressed", "invitation.completed", "invitation.expired",
	"reward.issued", "reward.redeemed", "reward.voided", "reward.expired",
	"reward.held", "reward.approved", "reward.rejected",
	"reward.fulfilled", "reward.fulfilment_failed",
	"raffle.drawn", "campaign.published", "campaign.paused", "campaign.ended",
	"participant.created", "participant.updated", "participant.erased",
}

// WebhookTestType is the type of the message "send test event" sends; no
// endpoint subscribes to it, it goes to the one endpoint asked.
const WebhookTestType = "webhook.test"

// Webhook endpoint statuses.
const (
	EndpointEnabled  = "enabled"
	EndpointDisabled = "disabled"
)

// SecretOverlap is how long a rotated-out secret keeps signing beside the
// new one, so the receiver can switch without losing a message.
const SecretOverlap = 24 * time.Hour

// The errors of webhook endpoints.
var (
	ErrWebhookEndpointNotFound    = &Error{NotFound, "webhook_endpoint_not_found", "no such webhook endpoint"}
	ErrWebhookDeliveryNotFound    = &Error{NotFound, "webhook_delivery_not_found", "no such webhook delivery"}
	ErrWebhookDeliveryNotFinished = &Error{Conflict, "webhook_delivery_not_finished",
		"the delivery is still being sent: replay it once it has succeeded or failed"}
	ErrWebhookURLBlocked = &ValidationError{Field: "url", Code: "webhook_url_blocked",
		Message: "the URL resolves to a loopback, private, link-local or metadata address, which webhooks may not reach"}
	ErrWebhookURLInvalid = &ValidationError{Field: "url", Code: "invalid_webhook_url",
		Message: "the URL must be an absolute https URL with a host and no credentials"}
	ErrWebhookURLUnresolved = &ValidationError{Field: "url", Code: "webhook_url_unresolved", Message: "the URL's host does not resolve"}
)

// WebhookEndpoint is a URL of the tenant's that hears events. Secret is set
// only in the answer that creates or rotates it: it is stored encrypted and
// never shown again.
type WebhookEndpoint struct {
	ID             string     `json:"id"`
	URL            string     `json:"url"`
	Description    string     `json:"description"`
	Events         []string   `json:"events"`
	Status         string     `json:"status"`
	DisabledReason *string    `json:"disabled_reason"`
	FailingSince   *time.Time `json:"failing_since"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Secret         string     `json:"secret,omitempty"`
}

type webhookEndpointRow struct {
	ID             string
	URL            string
	Description    string
	Events         textArray `gorm:"type:text[]"`
	Status         string
	DisabledReason *string
	FailingSince   *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (r webhookEndpointRow) endpoint() WebhookEndpoint {
	return WebhookEndpoint{ID: r.ID, URL: r.URL, Description: r.Description, Events: r.Events, Status: r.Status,
		DisabledReason: r.DisabledReason, FailingSince: r.FailingSince, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// textArray reads a text[] column. Read as such rather than converted in
// SQL (to_jsonb): Citus refuses a function in RETURNING unless it is
// IMMUTABLE, and to_jsonb is not.
type textArray []string

// Scan implements sql.Scanner with pgx's own decoding of the array's text.
func (a *textArray) Scan(src any) error {
	var elems []string
	if err := pgtype.NewMap().SQLScanner(&elems).Scan(src); err != nil {
		return fmt.Errorf("scan text[]: %w", err)
	}
	*a = elems
	return nil
}

// webhookEndpointColumns are an endpoint's shown columns, for SELECT and
// RETURNING.
const webhookEndpointColumns = `id, url, description, events, status, disabled_reason, failing_since, created_at, updated_at`

const webhookEndpointSelect = `SELECT ` + webhookEndpointColumns + ` FROM webhook_endpoints`

// WebhookEndpointInput creates or changes an endpoint; a nil field is left
// as it is (and URL and Events are required to create).
type WebhookEndpointInput struct {
	URL         *string
	Description *string
	Events      []string
	Status      *string
}

// CheckWebhookURL refuses, with a precise validation error, a URL the
// policy would never deliver to. It resolves the host, so callers run it
// before their transaction.
func CheckWebhookURL(ctx context.Context, policy safehttp.Policy, raw string) error {
	if err := validateText("url", raw, 1, 2000); err != nil {
		return err
	}
	_, err := policy.CheckURL(ctx, raw)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, safehttp.ErrBlocked):
		return ErrWebhookURLBlocked
	case errors.Is(err, safehttp.ErrScheme):
		return ErrWebhookURLInvalid
	case ctx.Err() != nil:
		return err
	default:
		return ErrWebhookURLUnresolved
	}
}

func (in *WebhookEndpointInput) validate(creating bool) error {
	if creating && in.URL == nil {
		return invalid("url", "required", "url is required")
	}
	if in.URL != nil {
		u := lowerScheme(*in.URL)
		in.URL = &u
	}
	if creating && in.Events == nil {
		return invalid("events", "required", "events is required: a list of event types, or [\"*\"]")
	}
	if in.Description != nil {
		if err := validateText("description", *in.Description, 0, 500); err != nil {
			return err
		}
	}
	if in.Events != nil {
		if len(in.Events) == 0 || len(in.Events) > len(WebhookEventTypes) {
			return invalid("events", "invalid_events", "events lists 1 to %d event types, or [\"*\"]", len(WebhookEventTypes))
		}
		for _, e := range in.Events {
			if e != "*" && !slices.Contains(WebhookEventTypes, e) {
				return invalid("events", "invalid_events", "event types are * or one of %s", strings.Join(WebhookEventTypes, ", "))
			}
		}
		in.Events = slices.Compact(slices.Sorted(slices.Values(in.Events)))
	}
	if in.Status != nil && *in.Status != EndpointEnabled && *in.Status != EndpointDisabled {
		return invalid("status", "invalid_status", "status is enabled or disabled")
	}
	return nil
}

// lowerScheme writes a URL's scheme in lower case, as the schema stores
// it: schemes are case-insensitive (RFC 3986, 3.1), so HTTPS://… is the
// same https URL, which the URL check has already accepted.
func lowerScheme(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	return strings.ToLower(scheme) + "://" + rest
}

// CreateWebhookEndpoint adds an enabled endpoint with a fresh secret,
// returned once in Secret. The URL must have passed CheckWebhookURL.
func CreateWebhookEndpoint(ctx context.Context, box *secretbox.Box, in WebhookEndpointInput) (WebhookEndpoint, error) {
	if err := in.validate(true); err != nil {
		return WebhookEndpoint{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	secret, sealed, err := newWebhookSecret(ctx, box)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	description := ""
	if in.Description != nil {
		description = *in.Description
	}
	var row webhookEndpointRow
	err = tx.Raw(`INSERT INTO webhook_endpoints (tenant_id, url, description, events, secret) VALUES (?, ?, ?, ?, ?)
		RETURNING `+webhookEndpointColumns,
		tenantOf(ctx), *in.URL, description, array(in.Events), sealed).Scan(&row).Error
	if err != nil {
		return WebhookEndpoint{}, dbError("create webhook endpoint", err, nil)
	}
	ep := row.endpoint()
	if err := Audit(ctx, "webhook_endpoint.created", ep.ID, nil, ep); err != nil {
		return WebhookEndpoint{}, err
	}
	ep.Secret = secret
	return ep, nil
}

// qWebhookEndpoints: a page of the tenant's endpoints, oldest first. A
// tenant has at most a plan's cap of them (webhook_endpoints_within_plan),
// so the sort is over a few dozen rows.
const qWebhookEndpoints = webhookEndpointSelect + `
	WHERE tenant_id = ?
	  AND (? = '' OR (created_at, id) > (SELECT created_at, id FROM webhook_endpoints WHERE tenant_id = ? AND id = ?))
	ORDER BY created_at, id LIMIT ?`

// ListWebhookEndpoints returns a page of the tenant's endpoints, oldest
// first, and whether more follow.
func ListWebhookEndpoints(ctx context.Context, page Page) ([]WebhookEndpoint, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rows []webhookEndpointRow
	if err := tx.Raw(qWebhookEndpoints, tenantOf(ctx), page.After, tenantOf(ctx), page.After, page.limit()+1).Scan(&rows).Error; err != nil {
		return nil, false, dbError("list webhook endpoints", err, nil)
	}
	rows, more := trimPage(page, rows)
	out := make([]WebhookEndpoint, len(rows))
	for i, r := range rows {
		out[i] = r.endpoint()
	}
	return out, more, nil
}

// WebhookEndpointCount is how many endpoints the tenant has, and how many
// it may have (its plan's cap, or the largest plan's when unmetered).
func WebhookEndpointCount(ctx context.Context) (count, limit int, err error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, 0, err
	}
	// Two statements: on Citus the count runs on the tenant's worker, where
	// a function reading the plans cannot run inside it.
	err = tx.Raw(`SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ?`, tenantOf(ctx)).Row().Scan(&count)
	if err == nil {
		err = tx.Raw(`SELECT webhook_endpoints_cap(?)`, tenantOf(ctx)).Row().Scan(&limit)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("count webhook endpoints: %w", err)
	}
	return count, limit, nil
}

// GetWebhookEndpoint returns one endpoint.
func GetWebhookEndpoint(ctx context.Context, id string) (WebhookEndpoint, error) {
	tx, err := db(ctx)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	var row webhookEndpointRow
	if err := tx.Raw(webhookEndpointSelect+` WHERE tenant_id = ? AND id = ?`, tenantOf(ctx), id).Take(&row).Error; err != nil {
		return WebhookEndpoint{}, dbError("get webhook endpoint", err, ErrWebhookEndpointNotFound)
	}
	return row.endpoint(), nil
}

// UpdateWebhookEndpoint changes what in sets. Enabling an endpoint that
// was disabled (by the tenant or for failing) starts its failure clock
// afresh; a changed URL must have passed CheckWebhookURL.
func UpdateWebhookEndpoint(ctx context.Context, id string, in WebhookEndpointInput) (WebhookEndpoint, error) {
	if err := in.validate(false); err != nil {
		return WebhookEndpoint{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	before, err := GetWebhookEndpoint(ctx, id)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	var events any
	if in.Events != nil {
		events = array(in.Events)
	}
	var row webhookEndpointRow
	err = tx.Raw(`UPDATE webhook_endpoints SET
		url = coalesce(?, url), description = coalesce(?, description), events = coalesce(?::text[], events),
		status = coalesce(?, status),
		disabled_reason = CASE WHEN coalesce(?, status) = 'enabled' THEN NULL
		                  WHEN status = 'disabled' THEN disabled_reason ELSE 'tenant' END,
		failing_since = CASE WHEN status = 'disabled' AND ? = 'enabled' THEN NULL ELSE failing_since END,
		updated_at = now()
		WHERE tenant_id = ? AND id = ?
		RETURNING `+webhookEndpointColumns,
		in.URL, in.Description, events, in.Status, in.Status, in.Status, tenantOf(ctx), id).Take(&row).Error
	if err != nil {
		return WebhookEndpoint{}, dbError("update webhook endpoint", err, ErrWebhookEndpointNotFound)
	}
	after := row.endpoint()
	return after, Audit(ctx, "webhook_endpoint.updated", id, before, after)
}

// DeleteWebhookEndpoint removes an endpoint with its delivery log.
func DeleteWebhookEndpoint(ctx context.Context, id string) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	before, err := GetWebhookEndpoint(ctx, id)
	if err != nil {
		return err
	}
	if err := tx.Exec(`DELETE FROM webhook_endpoints WHERE tenant_id = ? AND id = ?`, tenantOf(ctx), id).Error; err != nil {
		return dbError("delete webhook endpoint", err, nil)
	}
	return Audit(ctx, "webhook_endpoint.deleted", id, before, nil)
}
