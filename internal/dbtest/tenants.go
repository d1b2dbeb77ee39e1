package dbtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/tenants"
)

// OwnerPassword is the password of the owner of every tenant NewTenant
// creates.
const OwnerPassword = "correct horse battery"

var tenantCounter atomic.Int64

// NewTenant creates a tenant through the restricted login, as sign-up
// does, and returns it with its keys. An empty name becomes "Tenant <n>";
// the owner's e-mail, owner<n>@tenants.test, is unique in the database.
func (e *Env) NewTenant(t testing.TB, name string) tenants.Created {
	t.Helper()
	return e.newTenant(t, name, false)
}

// NewMeteredTenant is NewTenant as sign-up does it with billing on: the
// tenant starts on the free plan, with its limits.
func (e *Env) NewMeteredTenant(t testing.TB, name string) tenants.Created {
	t.Helper()
	return e.newTenant(t, name, true)
}

func (e *Env) newTenant(t testing.TB, name string, metered bool) tenants.Created {
	t.Helper()
	n := tenantCounter.Add(1)
	if name == "" {
		name = fmt.Sprintf("Tenant %d", n)
	}
	created, err := tenants.Create(context.Background(), e.App, tenants.NewTenant{
		Name: name, OwnerEmail: fmt.Sprintf("owner%d@tenants.test", n), OwnerPassword: OwnerPassword, Metered: metered,
	})
	if err != nil {
		t.Fatalf("create tenant %q: %v", name, err)
	}
	return created
}

// InTenant runs fn in tenantID's transaction (tenants.WithTenant on the
// restricted login), failing the test on error.
func (e *Env) InTenant(t testing.TB, tenantID uuid.UUID, fn func(ctx context.Context) error) {
	t.Helper()
	if err := e.TryInTenant(tenantID, fn); err != nil {
		t.Fatal(err)
	}
}

// TryInTenant runs fn in tenantID's transaction and returns its error, for
// tests that expect one.
func (e *Env) TryInTenant(tenantID uuid.UUID, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	return tenants.WithTenant(ctx, e.App, tenantID, fn)
}

// txTimeout bounds a test's tenant transaction: one that waits this long is
// stuck on a lock, and failing says so sooner than go test's timeout.
const txTimeout = time.Minute

// TenantNamed returns the id of the tenant called name (one the test made
// through the console, say), read as the schema owner: the tenants table
// is only visible to the restricted login inside a tenant.
func (e *Env) TenantNamed(t testing.TB, name string) uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	if err := e.Owner.Raw(`SELECT id FROM tenants WHERE name = ?`, name).Scan(&ids).Error; err != nil {
		t.Fatalf("find tenant %q: %v", name, err)
	}
	if len(ids) != 1 {
		t.Fatalf("find tenant %q: %d tenants have that name", name, len(ids))
	}
	return ids[0]
}
