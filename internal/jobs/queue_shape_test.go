package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/jobs"
)

// riverPin is the River release whose insert the SQL queue functions copy
// (migrations/functions/webhook_queue.sql, reward_fulfilment_queue.sql).
const riverPin = "v0.51.2"

// TestRiverVersionPinned stops an upgrade of River until someone has
// re-checked the row the queue functions write against the new release.
// The version is the module graph's (go list -m): a test binary carries no
// dependency versions for runtime/debug.ReadBuildInfo to read.
func TestRiverVersionPinned(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/riverqueue/river").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/riverqueue/river: %v", err)
	}
	if v := strings.TrimSpace(string(out)); v != riverPin {
		t.Fatalf("River is now %s: re-check the SQL queue functions' row shape against River's insert, then update the pin (%s) in queue_shape_test.go",
			v, riverPin)
	}
}

// A job queued by a SQL function in a tenant's transaction is, read back
// through River's own client as River's role, the job River would have
// inserted: its kind, queue, state, attempts, priority, tags, metadata and
// schedule as River's insert leaves them, and arguments that decode
// exactly into the worker's arguments.
func TestSQLQueuedJobsAsRiverReadsThem(t *testing.T) {
	tenant := newAPIClient(t).created.TenantID
	client := riverReader(t)

	delivery, reward := "whd_"+uuid.NewString(), "rwd_"+uuid.NewString()
	before := time.Now()
	err := env.App.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT set_config('app.tenant_id', ?, true)`, tenant.String()).Error; err != nil {
			return err
		}
		if err := tx.Exec(`SELECT webhook_queue(app_tenant_id(), ARRAY[?])`, delivery).Error; err != nil {
			return err
		}
		return tx.Exec(`SELECT reward_fulfilment_queue(app_tenant_id(), ?)`, reward).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()

	checkSQLQueuedJobs(t, client, tenant, delivery, reward, before, after)
}

// checkSQLQueuedJobs reads back, through River's client, the delivery and
// the fulfilment the queue functions queued for tenant between before and
// after, and checks that each is the job River's insert would have written.
func checkSQLQueuedJobs(t *testing.T, client *river.Client[pgx.Tx], tenant uuid.UUID, delivery, reward string, before, after time.Time) {
	t.Helper()
	var d jobs.DeliveryArgs
	row := readBack(t, client, d.Kind(), "delivery_id", delivery)
	checkRow(t, row, "webhooks", 25, before, after)
	decodeExactly(t, row, &d)
	if d.TenantID != tenant || d.DeliveryID != delivery {
		t.Errorf("delivery args %+v, want tenant %s and delivery %s", d, tenant, delivery)
	}

	var f jobs.FulfilmentArgs
	row = readBack(t, client, f.Kind(), "reward_id", reward)
	checkRow(t, row, river.QueueDefault, 12, before, after)
	decodeExactly(t, row, &f)
	if f.TenantID != tenant || f.RewardID != reward {
		t.Errorf("fulfilment args %+v, want tenant %s and reward %s", f, tenant, reward)
	}
}

// riverReader is a River client that works no job, on River's own pool
// (as River's role), for reading jobs back; the pool closes at cleanup,
// after the jobs readBack deletes.
func riverReader(t *testing.T) *river.Client[pgx.Tx] {
	t.Helper()
	pool, err := jobs.OpenPool(context.Background(), env.AppURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// readBack finds the job of kind whose argument key is value with River's
// JobList, then reads it again with JobGet, and deletes it so that no
// later test's worker runs it.
func readBack(t *testing.T, client *river.Client[pgx.Tx], kind, key, value string) *rivertype.JobRow {
	t.Helper()
	ctx := context.Background()
	list, err := client.JobList(ctx, river.NewJobListParams().Kinds(kind).
		Where("args->>@key = @value", river.NamedArgs{"key": key, "value": value}))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Jobs) != 1 {
		t.Fatalf("River lists %d %s jobs with %s %s, want 1", len(list.Jobs), kind, key, value)
	}
	row, err := client.JobGet(ctx, list.Jobs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := client.JobDelete(context.Background(), row.ID); err != nil {
			t.Error(err)
		}
	})
	return row
}

// checkRow compares the fields River reads when it fetches and works a
// job with what River's own insert writes for a job without options.
func checkRow(t *testing.T, row *rivertype.JobRow, queue string, maxAttempts int, before, after time.Time) {
	t.Helper()
	if row.Queue != queue || row.State != rivertype.JobStateAvailable || row.MaxAttempts != maxAttempts || row.Priority != 1 {
		t.Errorf("%s: queue %q, state %s, max_attempts %d, priority %d; want %q, available, %d, 1",
			row.Kind, row.Queue, row.State, row.MaxAttempts, row.Priority, queue, maxAttempts)
	}
	if row.Attempt != 0 || row.AttemptedAt != nil || len(row.AttemptedBy) != 0 || len(row.Errors) != 0 || row.FinalizedAt != nil {
		t.Errorf("%s: attempt %d, attempted at %v by %v, errors %v, finalized %v: not a fresh job", row.Kind,
			row.Attempt, row.AttemptedAt, row.AttemptedBy, row.Errors, row.FinalizedAt)
	}
	if len(row.Tags) != 0 || !bytes.Equal(row.Metadata, []byte("{}")) || row.UniqueKey != nil || len(row.UniqueStates) != 0 {
		t.Errorf("%s: tags %v, metadata %s, unique key %x, unique states %v; River's insert leaves none",
			row.Kind, row.Tags, row.Metadata, row.UniqueKey, row.UniqueStates)
	}
	// Due at once: scheduled within the transaction, not later.
	slack := time.Second
	if row.ScheduledAt.Before(before.Add(-slack)) || row.ScheduledAt.After(after.Add(slack)) {
		t.Errorf("%s: scheduled at %s, want between %s and %s", row.Kind, row.ScheduledAt, before, after)
	}
}

// decodeExactly decodes the job's arguments into the worker's, refusing a
// field the worker would silently drop.
func decodeExactly(t *testing.T, row *rivertype.JobRow, args any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(row.EncodedArgs))
	dec.DisallowUnknownFields()
	if err := dec.Decode(args); err != nil {
		t.Errorf("%s: args %s do not decode into %T: %v", row.Kind, row.EncodedArgs, args, err)
	}
}
