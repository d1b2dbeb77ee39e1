package tenants

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// FindTenantByStripeCustomer returns the tenant linked to a Stripe customer
// (find_tenant_by_stripe_customer, a lookup before the tenant is known), or
// uuid.Nil when no tenant is.
func FindTenantByStripeCustomer(ctx context.Context, db *gorm.DB, customerID string) (uuid.UUID, error) {
	var tenantID uuid.NullUUID
	if err := db.WithContext(ctx).Raw(`SELECT find_tenant_by_stripe_customer(?)`, customerID).Row().Scan(&tenantID); err != nil {
		return uuid.Nil, fmt.Errorf("tenants: find tenant by stripe customer: %w", err)
	}
	return tenantID.UUID, nil
}

// ApplyStripeEvent applies a verified Stripe event to tenantID's billing,
// once, and returns the outcome (models.StripeEventApplied, …). The
// billing webhook's door: it enters the tenant like any other request.
func ApplyStripeEvent(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, e models.StripeEvent) (string, error) {
	var outcome string
	err := WithTenant(ctx, db, tenantID, func(ctx context.Context) error {
		var err error
		outcome, err = models.ApplyStripeEvent(ctx, e)
		return err
	})
	return outcome, err
}

// EventQuota enforces the plans' events-per-month limit at request
// granularity. Counting a month of events is too slow for every request
// of the hot path, and a counter row bumped by every event would serialise
// a tenant's ingestion; so each tenant's count is taken at most once per
// ttl, in a read-only transaction of its own, and the verdict reused in
// between (no round trip). A tenant may go past its limit by what it sends
// within one ttl (and one batch); an upgrade takes effect within one ttl.
type EventQuota struct {
	db  *gorm.DB
	ttl time.Duration
	now func() time.Time

	mu       sync.Mutex
	verdicts map[uuid.UUID]quotaVerdict
}

type quotaVerdict struct {
	reached bool
	until   time.Time
}

// NewEventQuota returns a quota checker for the tenants of db that counts
// each tenant's events at most once per ttl of the clock now.
func NewEventQuota(db *gorm.DB, ttl time.Duration, now func() time.Time) *EventQuota {
	return &EventQuota{db: db, ttl: ttl, now: now, verdicts: map[uuid.UUID]quotaVerdict{}}
}

// Check refuses with a models.PlanLimitError when tenantID has used its
// plan's events for this month. It must run outside a tenant transaction:
// when the last verdict is older than ttl, it counts in one of its own.
func (q *EventQuota) Check(ctx context.Context, tenantID uuid.UUID) error {
	now := q.now()
	q.mu.Lock()
	v, ok := q.verdicts[tenantID]
	q.mu.Unlock()
	if !ok || !now.Before(v.until) {
		var limit *int
		var count int64
		err := ReadOnly(ctx, q.db, tenantID, func(ctx context.Context) error {
			var err error
			limit, count, err = models.EventsThisMonth(ctx, now)
			return err
		})
		if err != nil {
			return fmt.Errorf("tenants: events this month: %w", err)
		}
		v = quotaVerdict{reached: limit != nil && count >= int64(*limit), until: now.Add(q.ttl)}
		q.mu.Lock()
		q.verdicts[tenantID] = v
		q.mu.Unlock()
	}
	if v.reached {
		return &models.PlanLimitError{Limit: models.LimitEventsPerMonth}
	}
	return nil
}
