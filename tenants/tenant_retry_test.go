package tenants_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// Two transactions that lock two event definitions in opposite orders
// deadlock; PostgreSQL aborts one, WithTenant runs it again, and both end
// well. The retry is counted and said, with PostgreSQL's account of the
// locks that met.
func TestWithTenantRunsADeadlockedTransactionAgainAndSaysSo(t *testing.T) {
	tenant := env.NewTenant(t, "Deadlock").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, name := range []string{"first_lock", "second_lock"} {
			if _, _, err := models.DefineEvent(ctx, name, ""); err != nil {
				return err
			}
		}
		return nil
	})
	var logged bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))

	before := tenants.Retries()
	var holding sync.WaitGroup // each transaction holds its first lock
	holding.Add(2)
	lockBoth := func(first, second string) error {
		attempt := 0
		return tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
			attempt++
			if _, _, err := models.DefineEvent(ctx, first, ""); err != nil {
				return err
			}
			if attempt == 1 {
				holding.Done()
				holding.Wait()
			}
			_, _, err := models.DefineEvent(ctx, second, "")
			return err
		})
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = lockBoth("first_lock", "second_lock") })
	wg.Go(func() { errs[1] = lockBoth("second_lock", "first_lock") })
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
	if n := tenants.Retries() - before; n < 1 {
		t.Errorf("%d transactions run again; want the deadlocked one", n)
	}
	out := logged.String()
	if !strings.Contains(out, "tenants: transaction run again") || !strings.Contains(out, "code=40P01") {
		t.Errorf("the retry was not said: %q", out)
	}
	// On Citus, Citus's own detector may break the deadlock first, and its
	// error carries no such account.
	if !dbtest.Citus() && !strings.Contains(out, "waits for ShareLock on transaction") {
		t.Errorf("the retry was said without PostgreSQL's account of the locks: %q", out)
	}
}
