package models

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
)

// ErrNoTransaction is returned by every function of models called outside
// a tenant transaction: without one there is no tenant, and so no data.
var ErrNoTransaction = errors.New("models: no tenant transaction in context")

type txKey struct{}

// tenantTx is a tenant transaction and its tenant.
type tenantTx struct {
	tx     *gorm.DB
	tenant uuid.UUID
}

// WithTx returns a context carrying tx, a transaction of tenantID in which
// the caller has already switched to the restricted role and set
// app.tenant_id: the one door into a tenant's data. Only package tenants
// calls it (from tenants.WithTenant); Go cannot say so, so internal/archtest
// fails the build's tests when any other package refers to it.
func WithTx(ctx context.Context, tx *gorm.DB, tenantID uuid.UUID) context.Context {
	return context.WithValue(ctx, txKey{}, tenantTx{tx, tenantID})
}

// InTx reports whether ctx already carries a tenant transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(tenantTx)
	return ok
}

// db returns a fresh session on the context's transaction, so that no
// chained *gorm.DB is ever reused across queries.
func db(ctx context.Context) (*gorm.DB, error) {
	t, ok := ctx.Value(txKey{}).(tenantTx)
	if !ok {
		return nil, ErrNoTransaction
	}
	return t.tx.Session(&gorm.Session{NewDB: true}).WithContext(ctx), nil
}

// tenantOf is the tenant of the context's transaction (uuid.Nil outside
// one, where db fails first). Every statement names it (tenant_id = ?)
// besides the row-level security that already confines it: on Citus that
// is what routes the statement to the one worker holding the tenant, and on
// one node it gives the planner the key's first column.
func tenantOf(ctx context.Context) uuid.UUID {
	t, _ := ctx.Value(txKey{}).(tenantTx)
	return t.tenant
}

// array passes elems as one PostgreSQL array parameter, for a function
// that takes arrays or for = ANY (?). gorm spreads a bare slice into a
// list (a, b, c), which suits only IN ?; a pgtype.Array is a struct, which
// gorm hands to pgx untouched and pgx encodes as an array.
func array[T any](elems []T) pgtype.Array[T] {
	return pgtype.Array[T]{
		Elements: elems,
		Dims:     []pgtype.ArrayDimension{{Length: int32(len(elems)), LowerBound: 1}},
		Valid:    true,
	}
}
