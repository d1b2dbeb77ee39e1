package tenants_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The one-round-trip transaction is a transaction: it stores in the
// tenant's data only, leaves nothing of the tenant on the pooled
// connection, and when any part fails, nothing of it is kept.
func TestIngestEventsInOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	a, b := env.NewTenant(t, "Ingest A"), env.NewTenant(t, "Ingest B")
	env.InTenant(t, a.TenantID, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		return err
	})
	// One connection, so that the next statements run where the pipeline ran.
	db, err := database.Open(env.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)

	results, err := tenants.IngestEvents(ctx, db, a.TenantID, []models.EventInput{
		{Participant: "ann", Name: "signup_complete", IdempotencyKey: "k1"},
		{Participant: "ann", Name: "no_such_event"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Status != models.EventCreated || results[1].Status != models.EventUnknown {
		t.Fatalf("results %+v, want created then unknown_event", results)
	}

	var role, tenant string
	if err := db.Raw(`SELECT current_user, coalesce(current_setting('app.tenant_id', true), '')`).Row().Scan(&role, &tenant); err != nil {
		t.Fatal(err)
	}
	if role != "tandem_app" || tenant != "" {
		t.Errorf("after the pipeline the connection is %q with app.tenant_id %q, want tandem_app and none", role, tenant)
	}

	if n := countEvents(t, a.TenantID, "k1"); n != 1 {
		t.Errorf("tenant A has %d events under k1, want 1", n)
	}
	if n := countEvents(t, b.TenantID, "k1"); n != 0 {
		t.Errorf("tenant B sees %d of A's events", n)
	}

	// The second event breaks a rule of the schema (properties must be an
	// object) after the first, a new participant's, was stored: the
	// pipeline fails whole, so neither the participant nor the event stays.
	_, err = tenants.IngestEvents(ctx, db, a.TenantID, []models.EventInput{
		{Participant: "bob", Name: "signup_complete", IdempotencyKey: "k2"},
		{Participant: "bob", Name: "signup_complete", IdempotencyKey: "k3", Properties: json.RawMessage(`[1]`)},
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23514" {
		t.Fatalf("error %v, want the schema's check_violation", err)
	}
	if n := countEvents(t, a.TenantID, "k2"); n != 0 {
		t.Errorf("the failed pipeline kept %d events", n)
	}
	env.InTenant(t, a.TenantID, func(ctx context.Context) error {
		if _, err := models.GetParticipant(ctx, "bob"); !errors.Is(err, models.ErrParticipantNotFound) {
			t.Errorf("the failed pipeline kept its new participant: %v", err)
		}
		return nil
	})

	if results, err := tenants.IngestEvents(ctx, db, a.TenantID, nil); err != nil || len(results) != 0 {
		t.Errorf("no events: %v, %v", results, err)
	}
}

// countEvents counts, as the schema's owner, tenant's events stored under
// the idempotency key.
func countEvents(t *testing.T, tenant uuid.UUID, key string) int {
	t.Helper()
	var n int
	if err := env.Owner.Raw(`SELECT count(*) FROM events WHERE tenant_id = ? AND idempotency_key = ?`, tenant, key).Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Batches that share keys, sent at once: a batch inserts its events
// plainly and, when a key turns out taken (stored before, or by a batch
// committed meanwhile), does its insert again skipping the taken keys
// (00032). Every key is stored once, by whichever batch came first, and
// every batch is answered as if it had come alone: "created" with a new
// id, or "duplicate" with the stored event's.
func TestIngestBatchesSharingKeysStoreEachOnce(t *testing.T) {
	ctx := context.Background()
	a := env.NewTenant(t, "Ingest overlap")
	defineEvent(t, a.TenantID, "signup_complete")
	const batches, keys, perBatch = 8, 300, 200
	// Key k belongs to participant k; batch b sends keys b*50 … b*50+199, so
	// that neighbours share 150 keys, and key 0 was stored before.
	event := func(k int) models.EventInput {
		return signup(fmt.Sprint("overlap-", k), fmt.Sprint("overlap-key-", k))
	}
	if _, err := tenants.IngestEvents(ctx, env.App, a.TenantID, []models.EventInput{event(0)}); err != nil {
		t.Fatal(err)
	}
	sent := make([][]models.EventInput, batches)
	answers := make([][]models.EventResult, batches)
	errs := make([]error, batches)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for b := range batches {
		for k := b * 50; k < b*50+perBatch; k++ {
			sent[b] = append(sent[b], event(k%keys))
		}
		wg.Go(func() {
			<-start
			answers[b], errs[b] = tenants.IngestEvents(ctx, env.App, a.TenantID, sent[b])
		})
	}
	close(start)
	wg.Wait()

	stored := map[string]string{} // key → id, as the owner reads it
	rows, err := env.Owner.Raw(`SELECT idempotency_key, id FROM events WHERE tenant_id = ? AND idempotency_key LIKE 'overlap-key-%'`, a.TenantID).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, id string
		if err := rows.Scan(&key, &id); err != nil {
			t.Fatal(err)
		}
		if stored[key] != "" {
			t.Errorf("%s stored twice", key)
		}
		stored[key] = id
	}
	if len(stored) != keys {
		t.Errorf("%d keys stored, want %d", len(stored), keys)
	}
	created := map[string]int{}
	for b := range batches {
		if errs[b] != nil || len(answers[b]) != len(sent[b]) {
			t.Fatalf("batch %d: %d answers, %v", b, len(answers[b]), errs[b])
		}
		for i, in := range sent[b] {
			id, duplicate, err := models.EventOutcome(in, answers[b][i])
			if err != nil {
				t.Fatalf("batch %d, %s: %v", b, in.IdempotencyKey, err)
			}
			if id != stored[in.IdempotencyKey] {
				t.Errorf("batch %d, %s: answered %s, stored %s", b, in.IdempotencyKey, id, stored[in.IdempotencyKey])
			}
			if !duplicate {
				created[in.IdempotencyKey]++
			}
		}
	}
	for key := range stored {
		want := 1
		if key == "overlap-key-0" {
			want = 0 // stored before the batches
		}
		if created[key] != want {
			t.Errorf("%s answered created %d times, want %d", key, created[key], want)
		}
	}
}
