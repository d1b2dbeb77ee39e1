package tenants_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// groupedOutcome is what one IngestEvent call answered.
type groupedOutcome struct {
	in     models.EventInput
	result models.EventResult
	err    error
}

// holdGroups stops every insert of tenant's event name until the returned
// release is called: it holds the event definition's row FOR UPDATE, which
// the events' foreign key must share. It then sends first, two events that
// each start a group of their own (EventGroups stores two at once) and
// block, and queued, which wait behind them, and returns once all of
// queued are waiting. release lets everything through and returns every
// outcome, first's and queued's, once all are in.
func holdGroups(t *testing.T, g *tenants.EventGroups, tenant uuid.UUID, name string, first, queued []models.EventInput) (release func() []groupedOutcome) {
	t.Helper()
	lock := env.Owner.Begin()
	if err := lock.Exec(`SELECT 1 FROM event_definitions WHERE tenant_id = ? AND name = ? FOR UPDATE`, tenant, name).Error; err != nil {
		t.Fatal(err)
	}
	outcomes := make([]groupedOutcome, len(first)+len(queued))
	var wg sync.WaitGroup
	send := func(i int, in models.EventInput) {
		outcomes[i].in = in
		wg.Go(func() { outcomes[i].result, outcomes[i].err = g.IngestEvent(context.Background(), tenant, in) })
	}
	queue := func(waiting, storing int) func() bool {
		return func() bool { w, s := g.Queue(tenant); return w == waiting && s == storing }
	}
	for i, in := range first {
		send(i, in)
		waitFor(t, queue(0, i+1), "a first event to start a group")
	}
	for i, in := range queued {
		send(len(first)+i, in)
	}
	waitFor(t, queue(len(queued), len(first)), "the queued events to wait")
	return func() []groupedOutcome {
		if err := lock.Rollback().Error; err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		return outcomes
	}
}

// waitFor polls cond until it holds; a condition, not a duration, is what
// the test waits for (the deadline only ends a test that is broken).
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
	}
}

// Single events that arrive while earlier ones are being stored go
// together in one transaction, and each sender gets the answer it would
// have got alone: created under a new id, or for a key sent twice,
// "duplicate" with the first one's id.
func TestEventGroupsStoreWaitingEventsTogether(t *testing.T) {
	a := env.NewTenant(t, "Groups A")
	defineEvent(t, a.TenantID, "signup_complete")
	g := tenants.NewEventGroups(env.App)
	event := func(who, key string) models.EventInput {
		return models.EventInput{Participant: who, Name: "signup_complete", IdempotencyKey: key}
	}
	first := []models.EventInput{event("ann", "first-1"), event("bob", "first-2")}
	var queued []models.EventInput
	for i := range 5 {
		key := fmt.Sprintf("queued-%d", i)
		queued = append(queued, event(fmt.Sprintf("p%d", i), key), event(fmt.Sprintf("p%d", i), key))
	}
	outcomes := holdGroups(t, g, a.TenantID, "signup_complete", first, queued)()

	ids := map[string]string{} // key → the id its created event got
	for _, o := range outcomes {
		if o.err != nil {
			t.Fatalf("%s: %v", o.in.IdempotencyKey, o.err)
		}
		id, duplicate, err := models.EventOutcome(o.in, o.result)
		if err != nil {
			t.Fatalf("%s: %v", o.in.IdempotencyKey, err)
		}
		if !duplicate {
			if ids[o.in.IdempotencyKey] != "" {
				t.Errorf("%s created twice", o.in.IdempotencyKey)
			}
			ids[o.in.IdempotencyKey] = id
		}
	}
	for _, o := range outcomes {
		if id, _, _ := models.EventOutcome(o.in, o.result); id != ids[o.in.IdempotencyKey] {
			t.Errorf("%s answered %s, its stored event is %s", o.in.IdempotencyKey, id, ids[o.in.IdempotencyKey])
		}
	}
	for key := range ids {
		if n := countEvents(t, a.TenantID, key); n != 1 {
			t.Errorf("%d events stored under %s, want 1", n, key)
		}
	}
	// The ten queued events, one transaction: one xmin.
	var transactions int
	if err := env.Owner.Raw(`SELECT count(DISTINCT xmin::text) FROM events WHERE tenant_id = ? AND idempotency_key LIKE 'queued-%'`,
		a.TenantID).Row().Scan(&transactions); err != nil {
		t.Fatal(err)
	}
	if transactions != 1 {
		t.Errorf("the queued events were stored by %d transactions, want 1", transactions)
	}
}

// A group that fails whole takes nothing with it: here a new participant
// is over the plan's limit, which fails the statement and so the group;
// the other event of the group is then stored alone, and the new
// participant's sender gets the plan's error.
func TestEventGroupsStoreAloneWhenTheGroupFails(t *testing.T) {
	a := env.NewMeteredTenant(t, "Groups Full")
	defineEvent(t, a.TenantID, "signup_complete")
	// Free's 1,000 participants, written straight in.
	if err := env.Owner.Exec(`INSERT INTO participants (tenant_id, external_id)
		SELECT ?, 'known-' || n FROM generate_series(1, 1000) n`, a.TenantID).Error; err != nil {
		t.Fatal(err)
	}
	g := tenants.NewEventGroups(env.App)
	event := func(who, key string) models.EventInput {
		return models.EventInput{Participant: who, Name: "signup_complete", IdempotencyKey: key}
	}
	outcomes := holdGroups(t, g, a.TenantID, "signup_complete",
		[]models.EventInput{event("known-1", "k1"), event("known-2", "k2")},
		[]models.EventInput{event("known-3", "k3"), event("newcomer", "k4")})()

	for _, o := range outcomes[:3] {
		if o.err != nil || o.result.Status != models.EventCreated {
			t.Errorf("%s: %+v, %v; want created", o.in.IdempotencyKey, o.result, o.err)
		}
		if n := countEvents(t, a.TenantID, o.in.IdempotencyKey); n != 1 {
			t.Errorf("%d events stored under %s, want 1", n, o.in.IdempotencyKey)
		}
	}
	if err := outcomes[3].err; !errors.Is(err, models.ErrPlanLimitReached) {
		t.Errorf("the newcomer's event: %+v, %v; want the plan's limit", outcomes[3].result, err)
	}
	if n := countEvents(t, a.TenantID, "k4"); n != 0 {
		t.Errorf("the newcomer's event was stored %d times", n)
	}
}

// defineEvent defines name in tenant's catalog.
func defineEvent(t *testing.T, tenant uuid.UUID, name string) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, name, "")
		return err
	})
}
