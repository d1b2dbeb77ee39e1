package tenants

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// NewTenant is a sign-up: the business and its first owner.
type NewTenant struct {
	Name          string
	OwnerEmail    string
	OwnerPassword string
	// Metered puts the tenant on the free plan, with its limits: billing is
	// on (STRIPE_SECRET_KEY). Otherwise the tenant is unmetered.
	Metered bool
}

// Created is a new tenant with its two API keys, shown this once.
type Created struct {
	TenantID       uuid.UUID `json:"tenant_id"`
	Slug           string    `json:"slug"`
	OwnerID        string    `json:"owner_id"`
	SecretKey      string    `json:"secret_key"`
	PublishableKey string    `json:"publishable_key"`
}

// MinPasswordLength is the shortest password a member may choose.
const MinPasswordLength = 10

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Create makes a tenant, its owner, one secret and one publishable key.
// The slug comes from the name; when another tenant has it, a short random
// suffix is added.
func Create(ctx context.Context, db *gorm.DB, in NewTenant) (Created, error) {
	if len(in.OwnerPassword) < MinPasswordLength || len(in.OwnerPassword) > 1024 {
		return Created{}, &models.ValidationError{Field: "owner_password", Code: "weak_password",
			Message: fmt.Sprintf("passwords are %d to 1024 characters", MinPasswordLength)}
	}
	hash, err := HashSecret(in.OwnerPassword)
	if err != nil {
		return Created{}, err
	}
	base := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(in.Name), "-"), "-")
	if len(base) > 40 {
		base = strings.Trim(base[:40], "-")
	}
	if len(base) < 2 {
		base = "tenant"
	}
	slug := base
	for attempt := 0; attempt < 5; attempt++ {
		created, err := create(ctx, db, in, slug, hash)
		if !errors.Is(err, models.ErrSlugTaken) {
			return created, err
		}
		slug = base + "-" + randomSuffix()
	}
	return Created{}, fmt.Errorf("create tenant: %w", models.ErrSlugTaken)
}

func create(ctx context.Context, db *gorm.DB, in NewTenant, slug, passwordHash string) (Created, error) {
	out := Created{TenantID: uuid.New(), Slug: slug}
	err := WithTenant(ctx, db, out.TenantID, func(ctx context.Context) error {
		if _, err := models.InsertTenant(ctx, out.TenantID, slug, in.Name, in.Metered); err != nil {
			return err
		}
		owner, err := models.InsertMember(ctx, in.OwnerEmail, passwordHash, models.RoleOwner)
		if err != nil {
			return err
		}
		out.OwnerID = owner.ID
		if _, out.SecretKey, err = NewKey(ctx, KindSecret, "Default secret key", nil); err != nil {
			return err
		}
		_, out.PublishableKey, err = NewKey(ctx, KindPublishable, "Default publishable key", nil)
		return err
	})
	if err != nil {
		return Created{}, fmt.Errorf("create tenant: %w", err)
	}
	return out, nil
}

func randomSuffix() string {
	const alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
