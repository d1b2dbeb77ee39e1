package models

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Tenant is a customer business.
type Tenant struct {
	ID        uuid.UUID `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// ErrSlugTaken reports that another tenant has the slug.
var ErrSlugTaken = &Error{Conflict, "slug_taken", "another tenant has this slug"}

// InsertTenant creates the tenant of the current transaction; the
// transaction's app.tenant_id must already be id. A metered tenant starts
// on the free plan (billing is on); the others have no plan and no limit.
func InsertTenant(ctx context.Context, id uuid.UUID, slug, name string, metered bool) (Tenant, error) {
	if err := validateSlug("slug", slug); err != nil {
		return Tenant{}, err
	}
	if err := validateText("name", name, 1, 200); err != nil {
		return Tenant{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Tenant{}, err
	}
	var t Tenant
	var plan *string
	if metered {
		plan = nullable(PlanFree)
	}
	err = tx.Raw(`INSERT INTO tenants (id, slug, name, plan) VALUES (?, ?, ?, ?) RETURNING id, slug, name, created_at`,
		id, slug, name, plan).Scan(&t).Error
	if err != nil {
		return Tenant{}, dbError("create tenant", err, nil)
	}
	if err := tx.Exec(`SELECT add_builtin_events(?)`, id).Error; err != nil {
		return Tenant{}, dbError("create tenant: built-in events", err, nil)
	}
	return t, Audit(ctx, "tenant.created", id.String(), nil, t)
}

// CurrentTenant returns the tenant of the current transaction.
func CurrentTenant(ctx context.Context) (Tenant, error) {
	tx, err := db(ctx)
	if err != nil {
		return Tenant{}, err
	}
	var t Tenant
	err = tx.Raw(`SELECT id, slug, name, created_at FROM tenants WHERE id = ?`, tenantOf(ctx)).Take(&t).Error
	return t, dbError("current tenant", err, nil)
}
