// Package reqinfo carries what the access log says about a request (its
// id, the tenant it acted for) from where it is learnt, deep below web, back
// up to web's request log, through the request's context. It imports
// nothing of Tandem and nothing of Fiber, so tenants may fill it in.
package reqinfo

import (
	"context"

	"github.com/google/uuid"
)

// Info is one request's. Only the request's own goroutine writes it, and
// the request log reads it after the handlers have returned.
type Info struct {
	// ID is the request id, echoed as X-Request-Id.
	ID string
	// Tenant is the tenant the request acted for, once known; uuid.Nil
	// before (or for requests of no tenant).
	Tenant uuid.UUID
}

type infoKey struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// From returns the Info ctx carries, or nil (a job, a command).
func From(ctx context.Context) *Info {
	info, _ := ctx.Value(infoKey{}).(*Info)
	return info
}

// SetTenant records the tenant of ctx's request, if ctx is a request's.
func SetTenant(ctx context.Context, tenant uuid.UUID) {
	if info := From(ctx); info != nil {
		info.Tenant = tenant
	}
}
