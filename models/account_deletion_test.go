package models_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// tenantRows counts the tenant's rows in every table with a tenant_id
// (River's jobs that name it included), and its own row of tenants.
func tenantRows(t *testing.T, tenant uuid.UUID) map[string]int64 {
	t.Helper()
	rows := env.RowsHolding(t, tenant, []string{tenant.String()})
	var own int64
	must(t, env.Owner.Raw(`SELECT count(*) FROM tenants WHERE id = ?`, tenant).Scan(&own).Error)
	if own > 0 {
		rows["tenants"] = own
	}
	return rows
}

// scheduleDeletion schedules the tenant's deletion, confirmed by its slug.
func scheduleDeletion(t *testing.T, tenant uuid.UUID) models.AccountDeletion {
	t.Helper()
	var d models.AccountDeletion
	env.InTenant(t, tenant, func(ctx context.Context) error {
		var slug string
		must(t, env.Owner.Raw(`SELECT slug FROM tenants WHERE id = ?`, tenant).Scan(&slug).Error)
		var err error
		d, err = models.ScheduleAccountDeletion(ctx, slug)
		return err
	})
	return d
}

// endGracePeriod moves the tenant's scheduled deletion 8 days into the
// past, as if the grace period had run out (the database's clock is the
// one the schema judges by).
func endGracePeriod(t *testing.T, tenant uuid.UUID) {
	t.Helper()
	// Values, not arithmetic on the columns, which Citus refuses in an
	// UPDATE (timestamptz minus interval is only stable).
	asked := time.Now().Add(-8 * 24 * time.Hour)
	must(t, env.Owner.Exec(`UPDATE tenants SET deletion_requested_at = ?, deletion_due_at = ? WHERE id = ?`,
		asked, asked.Add(7*24*time.Hour), tenant).Error)
}

// purgeBatches runs the purge's batches of the tenant until it is gone, as
// the purge job does, and says how many rows went.
func purgeBatches(t *testing.T, tenant uuid.UUID, limit int) int {
	t.Helper()
	total, raced := 0, false
	for range 100000 {
		var n int
		err := env.TryInTenant(tenant, func(ctx context.Context) error {
			var err error
			n, err = models.PurgeAccountBatch(ctx, limit, raced)
			return err
		})
		if raced = errors.Is(err, models.ErrPurgeRaced); raced {
			continue
		}
		must(t, err)
		if n == 0 {
			return total
		}
		total += n
	}
	t.Fatal("the purge does not end")
	return total
}

// The purge removes every row of the account, from every table that holds
// tenant data (found in the catalog, River's jobs included), and nothing
// of another account holding the same person; it waits for the grace
// period.
func TestPurgeAccount(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	other := env.NewTenant(t, "").TenantID
	newErasureSubject(t, tenant)
	newErasureSubject(t, other)
	before := tenantRows(t, tenant)
	if len(before) < 25 {
		t.Fatalf("fixture: the tenant has rows in only %d tables: %v", len(before), before)
	}
	otherBefore, otherFacts := tenantRows(t, other), factsOf(t, other)

	d := scheduleDeletion(t, tenant)
	before = tenantRows(t, tenant) // with the audit entry
	if !d.Scheduled() || d.DueAt.Sub(*d.RequestedAt) != 7*24*time.Hour || time.Until(*d.DueAt) < 167*time.Hour {
		t.Fatalf("scheduled deletion = %+v", d)
	}
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.PurgeAccountBatch(ctx, 100, false)
		return err
	})
	if !errors.Is(err, models.ErrDeletionNotDue) {
		t.Fatalf("purge during the grace period: %v", err)
	}
	if got := tenantRows(t, tenant); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("the refused purge changed the rows: %v, before %v", got, before)
	}

	endGracePeriod(t, tenant)
	// Small batches: every table takes several.
	if n := purgeBatches(t, tenant, 3); n < 100 {
		t.Errorf("the purge removed %d rows", n)
	}
	if got := tenantRows(t, tenant); len(got) > 0 {
		t.Errorf("after the purge the tenant still has rows in %v", got)
	}
	if got := tenantRows(t, other); fmt.Sprint(got) != fmt.Sprint(otherBefore) {
		t.Errorf("another tenant's rows: %v, before %v", got, otherBefore)
	}
	if factsOf(t, other) != otherFacts {
		t.Error("another tenant's facts changed")
	}
}

// Scheduling asks for the account's name or slug, and keeps its first
// date; undoing it during the grace period puts the account back as it
// was, and after it is refused; both are audited.
func TestAccountDeletionUndo(t *testing.T) {
	tenant := env.NewTenant(t, "Undo Works Ltd").TenantID
	for _, typed := range []string{"", "undo works ltd", "undo", "Undo Works"} {
		err := env.TryInTenant(tenant, func(ctx context.Context) error {
			_, err := models.ScheduleAccountDeletion(ctx, typed)
			return err
		})
		if !errors.Is(err, models.ErrDeletionConfirmation) {
			t.Errorf("confirmed by %q: %v", typed, err)
		}
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		first, err := models.ScheduleAccountDeletion(ctx, "Undo Works Ltd")
		must(t, err)
		again, err := models.ScheduleAccountDeletion(ctx, "Undo Works Ltd")
		must(t, err)
		if !first.Scheduled() || !again.DueAt.Equal(*first.DueAt) {
			t.Errorf("scheduled %+v, then %+v", first, again)
		}
		return nil
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		must(t, models.CancelAccountDeletion(ctx))
		d, err := models.GetAccountDeletion(ctx)
		must(t, err)
		if d.Scheduled() {
			t.Errorf("after undo: %+v", d)
		}
		return models.CancelAccountDeletion(ctx) // nothing to undo: no error, no entry
	})
	var actions []string
	must(t, env.Owner.Raw(`SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE 'account.%' ORDER BY id`, tenant).Scan(&actions).Error)
	if fmt.Sprint(actions) != "[account.deletion_scheduled account.deletion_cancelled]" {
		t.Errorf("audit entries %v", actions)
	}

	scheduleDeletion(t, tenant)
	endGracePeriod(t, tenant)
	err := env.TryInTenant(tenant, models.CancelAccountDeletion)
	if !errors.Is(err, models.ErrDeletionFinal) {
		t.Errorf("undo after the grace period: %v", err)
	}
}

// A tenant table the purge's order does not name (one a later migration
// adds) is purged first when no table points at it; when one does, the
// purge refuses to start rather than stop halfway at its foreign key.
func TestPurgeAccountTableAddedLater(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	ddl := func(sql string) {
		t.Helper()
		must(t, env.Owner.Exec(sql).Error)
	}
	ddl(`CREATE TABLE purge_later (tenant_id uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id), id text NOT NULL,
		PRIMARY KEY (tenant_id, id))`)
	t.Cleanup(func() { ddl(`DROP TABLE IF EXISTS purge_later_child, purge_later`) })
	ddl(`SELECT enable_tenant_rls('purge_later')`)
	ddl(`GRANT SELECT, INSERT ON purge_later TO tandem_app`)
	ddl(`GRANT SELECT, DELETE ON purge_later TO tandem_purger`)
	must(t, env.Owner.Exec(`INSERT INTO purge_later (tenant_id, id) VALUES (?, 'a'), (?, 'b')`, tenant, tenant).Error)
	scheduleDeletion(t, tenant)
	endGracePeriod(t, tenant)

	ddl(`CREATE TABLE purge_later_child (tenant_id uuid NOT NULL, id text NOT NULL, PRIMARY KEY (tenant_id, id),
		FOREIGN KEY (tenant_id, id) REFERENCES purge_later (tenant_id, id))`)
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.PurgeAccountBatch(ctx, 100, false)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "does not know where purge_later") {
		t.Fatalf("with a table pointing at an unknown one: %v", err)
	}
	ddl(`DROP TABLE purge_later_child`)
	purgeBatches(t, tenant, 1)
	if got := tenantRows(t, tenant); len(got) > 0 {
		t.Errorf("after the purge the tenant still has rows in %v", got)
	}
}
