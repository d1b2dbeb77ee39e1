// Package models is Tandem's domain: campaigns and their versions,
// participants, invitations and claims, events and quest progress, reward
// tokens and raffles. Every function runs inside the tenant transaction that
// package tenants opens and stores in the context; the rules themselves live
// in the schema (see migrations/), and these functions validate input, call
// the schema and turn its verdicts into the typed errors of errors.go.
package models

import (
	"context"
	"database/sql"
	"errors"

	"gorm.io/gorm"
)

// ErrNoTransaction is returned by every model function called outside a
// tenant transaction: without one there is no tenant, and so no data.
var ErrNoTransaction = errors.New("models: no tenant transaction in context")

type txKey struct{}

// WithTx returns a context carrying tx, a transaction in which the caller has
// already switched to the restricted role and set app.tenant_id. Only package
// tenants should call it.
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

// conn returns the transaction's database/sql handle, for the statements
// that pass PostgreSQL arrays (gorm would spread a slice into a list).
func conn(ctx context.Context) (gorm.ConnPool, error) {
	tx, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return nil, ErrNoTransaction
	}
	if _, isTx := tx.Statement.ConnPool.(*sql.Tx); !isTx {
		return nil, ErrNoTransaction
	}
	return tx.Statement.ConnPool, nil
}
