package models

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
)

// ErrNoTransaction is returned by every function of models called outside
// a tenant transaction: without one there is no tenant, and so no data.
var ErrNoTransaction = errors.New("models: no tenant transaction in context")

type txKey struct{}

// WithTx returns a context carrying tx, a transaction in which the caller has
// already switched to the restricted role and set app.tenant_id: the one
// door into a tenant's data. Only package tenants calls it (from
// tenants.WithTenant); Go cannot say so, so internal/archtest fails the
// build's tests when any other package refers to it.
func WithTx(ctx context.Context, tx *gorm.DB) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// InTx reports whether ctx already carries a tenant transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// db returns a fresh session on the context's transaction, so that no
// chained *gorm.DB is ever reused across queries.
func db(ctx context.Context) (*gorm.DB, error) {
	tx, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return nil, ErrNoTransaction
	}
	return tx.Session(&gorm.Session{NewDB: true}).WithContext(ctx), nil
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
