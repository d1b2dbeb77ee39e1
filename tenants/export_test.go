package tenants

import "github.com/google/uuid"

// Queue says how many of tenantID's sends wait for a group and how many
// groups are being stored, for tests that arrange groups deterministically.
func (g *EventGroups) Queue(tenantID uuid.UUID) (waiting, storing int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if q := g.queues[tenantID]; q != nil {
		return len(q.waiting), q.storing
	}
	return 0, 0
}
