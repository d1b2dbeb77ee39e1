package tenants

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// ReadOnly runs fn in a read-only snapshot of tenantID: a REPEATABLE READ
// READ ONLY transaction entered like WithTenant's (the restricted role and
// app.tenant_id, both local to the transaction). Unlike WithTenant it never
// runs fn again: a read-only transaction takes no locks and writes nothing,
// so it can neither deadlock nor lose a serialization race, and fn sees
// one consistent snapshot however long it takes. That makes it the door
// for work that sends what it reads as it goes (a streamed export), which
// must not be repeated.
func ReadOnly(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, fn func(ctx context.Context) error) error {
	if tenantID == uuid.Nil {
		return errors.New("read only: no tenant id")
	}
	if models.InTx(ctx) {
		return errors.New("read only: already inside a tenant transaction")
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := enterTenant(tx, tenantID); err != nil {
			return err
		}
		return fn(models.WithTx(ctx, tx, tenantID))
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
}
