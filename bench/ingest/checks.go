package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/google/uuid"
)

// checkStored checks that a measurement stored every event it sent, and
// completed every quest if it sent their steps.
func (b *bench) checkStored(ctx context.Context, tenantID uuid.UUID, c cohort, sent int) error {
	o, err := countOutcome(ctx, b.owner, tenantID, c)
	if err != nil {
		return err
	}
	if o.events != int64(sent) {
		return fmt.Errorf("%s: %d events stored, %d sent", c.prefix, o.events, sent)
	}
	if sent >= c.completing() && o.completed != int64(c.guests()) {
		return fmt.Errorf("%s: %d quests complete after %d events; want all %d", c.prefix, o.completed, sent, c.guests())
	}
	return nil
}

// loadAverage is /proc/loadavg's first three fields, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
