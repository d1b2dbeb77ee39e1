package tenants_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// sent is what one Ingest call sent and was answered.
type sent struct {
	events  []models.EventInput
	results []models.EventResult
	err     error
}

// holdGroups stops every insert into events until the returned release is
// called: it holds the table in SHARE mode, which an insert's ROW
// EXCLUSIVE lock waits for (this package's tests run one at a time, in a
// database of their own). It then makes first's two sends,
// which each start a group of their own (EventGroups stores two at once)
// and block, and queued's, which wait behind them, and returns once all of
// queued are waiting. release lets everything through and returns what
// every send was answered, first's then queued's, once all are in.
func holdGroups(t *testing.T, g *tenants.EventGroups, tenant uuid.UUID, first, queued [][]models.EventInput) (release func() []sent) {
	t.Helper()
	lock := env.Owner.Begin()
	if err := lock.Exec(`LOCK TABLE events IN SHARE MODE`).Error; err != nil {
		t.Fatal(err)
	}
	answers := make([]sent, len(first)+len(queued))
	var wg sync.WaitGroup
	send := func(i int, events []models.EventInput) {
		answers[i].events = events
		wg.Go(func() { answers[i].results, answers[i].err = g.Ingest(context.Background(), tenant, events) })
	}
	queue := func(waiting, storing int) func() bool {
		return func() bool { w, s := g.Queue(tenant); return w == waiting && s == storing }
	}
	for i, events := range first {
		send(i, events)
		dbtest.WaitFor(t, queue(0, i+1), "a first send to start a group")
	}
	for i, events := range queued {
		send(len(first)+i, events)
	}
	dbtest.WaitFor(t, queue(len(queued), len(first)), "the queued sends to wait")
	return func() []sent {
		if err := lock.Rollback().Error; err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		return answers
	}
}

// one is a send of one event.
func one(e models.EventInput) []models.EventInput { return []models.EventInput{e} }

// Sends that arrive while earlier ones are being stored go together in one
// transaction, and each sender gets the answers it would have got alone:
// each event created under a new id, or for a key sent twice, "duplicate"
// with the first one's id; a batch's answers in its own order. (The order
// in which the queued sends arrive is the scheduler's: no key is shared
// between two of them that could make the answers depend on it.)
func TestEventGroupsStoreWaitingEventsTogether(t *testing.T) {
	a := env.NewTenant(t, "Groups A")
	defineEvent(t, a.TenantID, "signup_complete")
	g := tenants.NewEventGroups(env.App)
	first := [][]models.EventInput{one(signup("ann", "first-1")), one(signup("bob", "first-2"))}
	var queued [][]models.EventInput
	for i := range 5 {
		key := fmt.Sprintf("queued-%d", i)
		queued = append(queued, one(signup(fmt.Sprintf("p%d", i), key)), one(signup(fmt.Sprintf("p%d", i), key)))
	}
	queued = append(queued, []models.EventInput{signup("cy", "queued-batch-1"), signup("cy", "queued-batch-1"), signup("di", "queued-batch-2")})
	answers := holdGroups(t, g, a.TenantID, first, queued)()

	ids := map[string]string{} // key → the id its created event got
	for _, ans := range answers {
		if ans.err != nil || len(ans.results) != len(ans.events) {
			t.Fatalf("%s: %d results, %v", ans.events[0].IdempotencyKey, len(ans.results), ans.err)
		}
		for i, in := range ans.events {
			id, duplicate, err := models.EventOutcome(in, ans.results[i])
			if err != nil {
				t.Fatalf("%s: %v", in.IdempotencyKey, err)
			}
			if !duplicate {
				if ids[in.IdempotencyKey] != "" {
					t.Errorf("%s created twice", in.IdempotencyKey)
				}
				ids[in.IdempotencyKey] = id
			}
		}
	}
	for _, ans := range answers {
		for i, in := range ans.events {
			if id, _, _ := models.EventOutcome(in, ans.results[i]); id != ids[in.IdempotencyKey] {
				t.Errorf("%s answered %s, its stored event is %s", in.IdempotencyKey, id, ids[in.IdempotencyKey])
			}
		}
	}
	for key := range ids {
		if n := countEvents(t, a.TenantID, key); n != 1 {
			t.Errorf("%d events stored under %s, want 1", n, key)
		}
	}
	if n := transactions(t, a.TenantID, "queued-%"); n != 1 {
		t.Errorf("the queued events were stored by %d transactions, want 1", n)
	}
}

// A group is at most a batch: a waiting batch of 1,000 events and a single
// event behind it go in two transactions.
func TestEventGroupsHoldAtMostABatch(t *testing.T) {
	a := env.NewTenant(t, "Groups B")
	defineEvent(t, a.TenantID, "signup_complete")
	g := tenants.NewEventGroups(env.App)
	full := make([]models.EventInput, models.MaxBatchEvents)
	for i := range full {
		full[i] = signup(fmt.Sprintf("p%d", i), fmt.Sprintf("queued-full-%d", i))
	}
	answers := holdGroups(t, g, a.TenantID,
		[][]models.EventInput{one(signup("ann", "first-1")), one(signup("bob", "first-2"))},
		[][]models.EventInput{full, one(signup("cy", "queued-one"))})()
	for _, ans := range answers {
		if ans.err != nil {
			t.Fatal(ans.err)
		}
	}
	if n := transactions(t, a.TenantID, "queued-%"); n != 2 {
		t.Errorf("a full batch and one more event were stored by %d transactions, want 2", n)
	}
}

// A group that fails whole takes nothing with it: here a new participant
// is over the plan's limit, which fails the statement and so the group;
// the other send of the group is then stored alone, and the new
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
	answers := holdGroups(t, g, a.TenantID,
		[][]models.EventInput{one(signup("known-1", "k1")), one(signup("known-2", "k2"))},
		[][]models.EventInput{one(signup("known-3", "k3")), one(signup("newcomer", "k4"))})()

	for _, ans := range answers[:3] {
		key := ans.events[0].IdempotencyKey
		if ans.err != nil || ans.results[0].Status != models.EventCreated {
			t.Errorf("%s: %+v, %v; want created", key, ans.results, ans.err)
		}
		if n := countEvents(t, a.TenantID, key); n != 1 {
			t.Errorf("%d events stored under %s, want 1", n, key)
		}
	}
	if err := answers[3].err; !errors.Is(err, models.ErrPlanLimitReached) {
		t.Errorf("the newcomer's event: %+v, %v; want the plan's limit", answers[3].results, err)
	}
	if n := countEvents(t, a.TenantID, "k4"); n != 0 {
		t.Errorf("the newcomer's event was stored %d times", n)
	}
}

// A send that gives up while it waits for a group (its request's deadline,
// a shutdown) leaves the queue, at once, and is never stored: here events
// without a key, which nothing else could tell apart from a later retry.
// A send that a group already holds is stored and answered with its real
// results, though its context ended while the group waited on the
// database; and the queue behind the senders that gave up is stored as
// usual.
func TestEventGroupsSendsThatGiveUpWaitingAreNotStored(t *testing.T) {
	a := env.NewTenant(t, "Groups Give Up")
	defineEvent(t, a.TenantID, "signup_complete")
	g := tenants.NewEventGroups(env.App)
	lock := env.Owner.Begin()
	if err := lock.Exec(`LOCK TABLE events IN SHARE MODE`).Error; err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	queue := func(waiting, storing int) func() bool {
		return func() bool { w, s := g.Queue(a.TenantID); return w == waiting && s == storing }
	}
	giveUp, cancel := context.WithCancel(context.Background())
	var held, stays sync.WaitGroup
	grouped := make([]sent, 2)
	for i := range grouped {
		grouped[i].events = one(signup(fmt.Sprintf("grouped-%d", i), ""))
		held.Go(func() { grouped[i].results, grouped[i].err = g.Ingest(giveUp, a.TenantID, grouped[i].events) })
		dbtest.WaitFor(t, queue(0, i+1), "a send to start a group")
	}
	gaveUp := make([]sent, 4)
	var left sync.WaitGroup
	for i := range gaveUp {
		gaveUp[i].events = one(signup(fmt.Sprintf("gave-up-%d", i), ""))
		left.Go(func() { gaveUp[i].results, gaveUp[i].err = g.Ingest(giveUp, a.TenantID, gaveUp[i].events) })
	}
	dbtest.WaitFor(t, queue(len(gaveUp), 2), "the sends to wait behind the groups")
	var patient sent
	patient.events = one(signup("patient", ""))
	stays.Go(func() { patient.results, patient.err = g.Ingest(context.Background(), a.TenantID, patient.events) })
	dbtest.WaitFor(t, queue(len(gaveUp)+1, 2), "a patient send to wait too")

	cancel()
	left.Wait() // with the database still stalled: they answer at once
	for i, ans := range gaveUp {
		if !errors.Is(ans.err, context.Canceled) || !tenants.Interrupted(ans.err) || ans.results != nil {
			t.Errorf("gave-up-%d: %+v, %v; want an interruption", i, ans.results, ans.err)
		}
	}
	if w, s := g.Queue(a.TenantID); w != 1 || s != 2 {
		t.Errorf("after the senders gave up: %d sends waiting, %d groups storing; want 1 and 2", w, s)
	}
	if err := lock.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	held.Wait()
	stays.Wait()
	for _, ans := range append(grouped, patient) {
		who := ans.events[0].Participant
		if ans.err != nil || len(ans.results) != 1 || ans.results[0].Status != models.EventCreated {
			t.Errorf("%s: %+v, %v; want its event created", who, ans.results, ans.err)
		}
		if n := participantEvents(t, a.TenantID, who); n != 1 {
			t.Errorf("%s: %d events stored, want 1", who, n)
		}
	}
	for _, ans := range gaveUp {
		if n := participantEvents(t, a.TenantID, ans.events[0].Participant); n != 0 {
			t.Errorf("%s was answered that nothing was stored, and %d events were", ans.events[0].Participant, n)
		}
	}
}

// A send whose context has already ended is not queued at all.
func TestEventGroupsRefuseAnEndedContext(t *testing.T) {
	a := env.NewTenant(t, "Groups Ended")
	defineEvent(t, a.TenantID, "signup_complete")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results, err := tenants.NewEventGroups(env.App).Ingest(ctx, a.TenantID, one(signup("late", "")))
	if !errors.Is(err, context.Canceled) || results != nil {
		t.Errorf("%+v, %v; want context.Canceled", results, err)
	}
	if n := participantEvents(t, a.TenantID, "late"); n != 0 {
		t.Errorf("%d events stored", n)
	}
}

// participantEvents counts, as the schema's owner, the events of tenant's
// participant externalID.
func participantEvents(t *testing.T, tenant uuid.UUID, externalID string) int {
	t.Helper()
	var n int
	if err := env.Owner.Raw(`SELECT count(*) FROM events e JOIN participants p ON p.tenant_id = e.tenant_id AND p.id = e.participant_id
		WHERE e.tenant_id = ? AND p.external_id = ?`, tenant, externalID).Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// signup is who's signup_complete event under key.
func signup(who, key string) models.EventInput {
	return models.EventInput{Participant: who, Name: "signup_complete", IdempotencyKey: key}
}

// transactions counts, as the schema's owner, the transactions that stored
// tenant's events whose keys are LIKE pattern: their distinct xmin.
func transactions(t *testing.T, tenant uuid.UUID, pattern string) int {
	t.Helper()
	var n int
	if err := env.Owner.Raw(`SELECT count(DISTINCT xmin::text) FROM events WHERE tenant_id = ? AND idempotency_key LIKE ?`,
		tenant, pattern).Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// defineEvent defines name in tenant's catalog.
func defineEvent(t *testing.T, tenant uuid.UUID, name string) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, name, "")
		return err
	})
}
