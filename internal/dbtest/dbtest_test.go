package dbtest

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

var env *Env

func TestMain(m *testing.M) { Main(m, "dbtest", &env) }

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		name      string
		db        *gorm.DB
		wantUser  string
		wantSuper bool
	}{
		{"owner", env.Owner, "postgres", true},
		{"app", env.App, AppRole, false},
	} {
		var got struct {
			User  string
			Super bool
		}
		err := tc.db.Raw("SELECT current_user AS user, rolsuper AS super FROM pg_roles WHERE rolname = current_user").Scan(&got).Error
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.User != tc.wantUser || got.Super != tc.wantSuper {
			t.Errorf("%s: user %s superuser %v, want %s %v", tc.name, got.User, got.Super, tc.wantUser, tc.wantSuper)
		}
	}
}

func TestClonedFromMigratedTemplate(t *testing.T) {
	var migrations int
	if err := env.Owner.Raw("SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&migrations).Error; err != nil {
		t.Fatal(err)
	}
	if migrations == 0 {
		t.Error("package database has no migrations applied")
	}
}

func TestDBName(t *testing.T) {
	a, b := dbName("Web/API-v1"), dbName("Web/API-v1")
	if a == b {
		t.Errorf("two names are equal: %s", a)
	}
	if !unsafeName.MatchString("-") || unsafeName.MatchString(a) {
		t.Errorf("unsafe database name %q", a)
	}
}

func TestTenantHelpers(t *testing.T) {
	created := env.NewTenant(t, "Helper Co")
	if got := env.TenantNamed(t, "Helper Co"); got != created.TenantID {
		t.Errorf("TenantNamed = %s, want %s", got, created.TenantID)
	}
	if created.SecretKey == "" || created.PublishableKey == "" {
		t.Errorf("no keys: %+v", created)
	}
	env.InTenant(t, created.TenantID, func(ctx context.Context) error {
		current, err := models.CurrentTenant(ctx)
		if err == nil && current.ID != created.TenantID {
			t.Errorf("inside tenant %s, want %s", current.ID, created.TenantID)
		}
		return err
	})
	if other := env.NewTenant(t, ""); other.TenantID == created.TenantID {
		t.Error("two tenants share an id")
	}
	failed := errors.New("rolled back")
	if err := env.TryInTenant(created.TenantID, func(context.Context) error { return failed }); !errors.Is(err, failed) {
		t.Errorf("TryInTenant = %v, want fn's error", err)
	}
}
