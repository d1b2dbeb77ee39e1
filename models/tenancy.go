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
// transaction's app.tenant_id must already be id.
func InsertTenant(ctx context.Context, id uuid.UUID, slug, name string) (Tenant, error) {
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
	err = tx.Raw(`INSERT INTO tenants (id, slug, name) VALUES (?, ?, ?) RETURNING id, slug, name, created_at`, id, slug, name).Scan(&t).Error
	if err != nil {
		return Tenant{}, dbError("create tenant", err, nil)
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
	err = tx.Raw(`SELECT id, slug, name, created_at FROM tenants`).Take(&t).Error
	return t, dbError("current tenant", err, nil)
}

// Member is a console user of the tenant.
type Member struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	Role        string    `json:"role"`
	DisplayName string    `json:"display_name"`
	CreatedAt   time.Time `json:"created_at"`
}

// Member roles, from most to least powerful.
const (
	RoleOwner    = "owner"
	RoleAdmin    = "admin"
	RoleMarketer = "marketer"
	RoleViewer   = "viewer"
)

// InsertMember adds a console member with an already hashed password.
func InsertMember(ctx context.Context, email, passwordHash, role string) (Member, error) {
	m, err := insertMember(ctx, email, passwordHash, role)
	if err != nil {
		return Member{}, err
	}
	return m, Audit(ctx, "member.added", m.ID, nil, m)
}

// insertMember adds a member without auditing it, for callers that audit
// the addition in their own words.
func insertMember(ctx context.Context, email, passwordHash, role string) (Member, error) {
	if err := validateEmail("email", email); err != nil {
		return Member{}, err
	}
	if !ValidRole(role) {
		return Member{}, invalid("role", "invalid_role", "roles are owner, admin, marketer and viewer")
	}
	tx, err := db(ctx)
	if err != nil {
		return Member{}, err
	}
	var m Member
	err = tx.Raw(`INSERT INTO members (email, password_hash, role) VALUES (lower(?), ?, ?)
		RETURNING id, email, role, display_name, created_at`, email, passwordHash, role).Scan(&m).Error
	if err != nil {
		return Member{}, dbError("add member", err, nil)
	}
	return m, nil
}

// InsertAPIKey stores a new API key's lookup string and hash.
func InsertAPIKey(ctx context.Context, kind, name, lookup, hash string, allowedOrigins []string) (string, error) {
	c, err := conn(ctx)
	if err != nil {
		return "", err
	}
	var id string
	err = c.QueryRowContext(ctx, `INSERT INTO api_keys (kind, name, lookup, secret_hash, allowed_origins)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, kind, name, lookup, hash, allowedOrigins).Scan(&id)
	if err != nil {
		return "", dbError("add api key", err, nil)
	}
	return id, Audit(ctx, "api_key.created", id, nil, map[string]any{"kind": kind, "name": name, "allowed_origins": allowedOrigins})
}
