package jobs

import (
	"sync"

	"github.com/google/uuid"
)

// tenantSlots bounds how many jobs of one tenant a process runs at once,
// so that one tenant's slow receivers cannot take every worker of a queue:
// a job that finds its tenant's slots full is snoozed, and the workers go
// to other tenants' jobs meanwhile.
type tenantSlots struct {
	perTenant int

	mu      sync.Mutex
	running map[uuid.UUID]int
}

func newTenantSlots(perTenant int) *tenantSlots {
	return &tenantSlots{perTenant: perTenant, running: map[uuid.UUID]int{}}
}

// take claims a slot of tenant; false when all are taken. A slot taken is
// given back with release.
func (s *tenantSlots) take(tenant uuid.UUID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[tenant] >= s.perTenant {
		return false
	}
	s.running[tenant]++
	return true
}

func (s *tenantSlots) release(tenant uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[tenant]--; s.running[tenant] <= 0 {
		delete(s.running, tenant)
	}
}
