package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// erasedFixture is a tenant with a live invitation campaign, a host "amy"
// with a pending invitation and a client hash, and "zoe", erased.
type erasedFixture struct {
	tenant uuid.UUID
	erased models.Erasure
	amy    string // amy's internal id
	code   string // amy's pending invitation
}

func newErasedFixture(t *testing.T) erasedFixture {
	t.Helper()
	f := erasedFixture{tenant: env.NewTenant(t, "").TenantID}
	env.InTenant(t, f.tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "kept", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		amy, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "amy",
			Client: &models.Client{IP: "203.0.113.7", UserAgent: "Firefox"}})
		must(t, err)
		f.amy = amy.ID
		inv, err := models.CreateInvitation(ctx, "kept", models.InvitationInput{Host: "amy"})
		must(t, err)
		f.code = inv.Code
		_, _, err = models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "zoe", Email: ptr("zoe@example.com"),
			Client: &models.Client{IP: "198.51.100.9", UserAgent: "Safari"}})
		must(t, err)
		f.erased, err = models.EraseParticipant(ctx, "zoe")
		return err
	})
	return f
}

// An erased participant stays erased beyond their own row: nothing records
// where they are seen from again (an upsert or a claim under the pseudonym
// that brings a client is refused with participant_erased, the widget's
// record of its host is silently skipped), and no invitation they send
// records a recipient. A participant that was not erased is recorded as
// before.
func TestErasedParticipantRecordsNothing(t *testing.T) {
	f := newErasedFixture(t)
	pseudonym := f.erased.ExternalID
	client := &models.Client{IP: "198.51.100.9", UserAgent: "Safari"}
	refused := map[string]func(ctx context.Context) error{
		"upsert with a client": func(ctx context.Context) error {
			_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: pseudonym, Client: client})
			return err
		},
		"claim with a client": func(ctx context.Context) error {
			_, err := models.ClaimFrom(ctx, f.code, pseudonym, client)
			return err
		},
		"invitation with a recipient": func(ctx context.Context) error {
			_, err := models.CreateInvitation(ctx, "kept", models.InvitationInput{Host: pseudonym, Channel: "email", Recipient: "zoe@example.com"})
			return err
		},
	}
	for name, fn := range refused {
		if err := env.TryInTenant(f.tenant, fn); !errors.Is(err, models.ErrParticipantErased) {
			t.Errorf("%s under the pseudonym: %v, want participant_erased", name, err)
		}
	}
	env.InTenant(t, f.tenant, func(ctx context.Context) error {
		// The widget's user sees no error, and nothing is kept.
		must(t, models.RecordHostClient(ctx, f.erased.ID, *client))
		must(t, models.RecordHostClient(ctx, f.amy, models.Client{IP: "203.0.113.8", UserAgent: "Chrome"}))
		// What carries nothing personal still goes through.
		_, err := models.CreateInvitation(ctx, "kept", models.InvitationInput{Host: pseudonym})
		return err
	})
	if n := clientsOf(t, f.tenant, f.erased.ID); n != 0 {
		t.Errorf("%d client hashes recorded for the erased participant", n)
	}
	if n := clientsOf(t, f.tenant, f.amy); n != 4 {
		t.Errorf("amy has %d client hashes, want 4 (two clients)", n)
	}
	var recipients int64
	must(t, env.Owner.Raw(`SELECT count(*) FROM invitations WHERE tenant_id = ? AND host_id = ? AND recipient <> ''`,
		f.tenant, f.erased.ID).Scan(&recipients).Error)
	if recipients != 0 {
		t.Errorf("%d invitations of the erased host have a recipient", recipients)
	}
}

// The schema refuses it whoever writes, the app or the owner, in plain
// SQL; and a hash written while an erasure is in progress waits for it and
// is then refused, so that none outlives the erasure.
func TestSchemaErasedParticipantRecordsNothing(t *testing.T) {
	f := newErasedFixture(t)
	r := newRawDB(t)
	hash := "ip:0123456789abcdef0123456789abcdef"
	campaign := r.campaign(f.tenant, "kept")
	r.run(t, f.tenant, []attack{
		{name: "record a client hash as tandem_app",
			stmt: q(`INSERT INTO participant_clients (tenant_id, participant_id, client_hash) VALUES (app_tenant_id(), $1, $2)`, f.erased.ID, hash),
			code: checkViolation, constraint: "participant_erased_records_nothing"},
		{name: "record a client hash as owner", owner: true,
			stmt: q(`INSERT INTO participant_clients (tenant_id, participant_id, client_hash) VALUES ($1, $2, $3)`, f.tenant.String(), f.erased.ID, hash),
			code: checkViolation, constraint: "participant_erased_records_nothing"},
		{name: "move another participant's hashes onto the erased one as owner", owner: true,
			stmt: q(`UPDATE participant_clients SET participant_id = $1 WHERE tenant_id = $2 AND participant_id = $3`, f.erased.ID, f.tenant.String(), f.amy),
			code: checkViolation, constraint: "participant_erased_records_nothing"},
		{name: "send an invitation with a recipient as tandem_app",
			stmt: q(`INSERT INTO invitations (tenant_id, campaign_id, kind, host_id, channel, recipient, code)
				VALUES (app_tenant_id(), $1, 'invitation', $2, 'email', 'zoe@example.com', register_code('invitation'))`, campaign, f.erased.ID),
			code: checkViolation, constraint: "participant_erased_records_nothing"},
		{name: "send an invitation without a recipient as tandem_app",
			stmt: q(`INSERT INTO invitations (tenant_id, campaign_id, kind, host_id, code)
				VALUES (app_tenant_id(), $1, 'invitation', $2, register_code('invitation'))`, campaign, f.erased.ID),
			rows: 1},
		{name: "record a client hash of a participant not erased as tandem_app",
			stmt: q(`INSERT INTO participant_clients (tenant_id, participant_id, client_hash) VALUES (app_tenant_id(), $1, $2)`, f.amy, hash),
			rows: 1},
	})

	// The race: bob is being erased (not yet committed) while a hash of his
	// is recorded.
	env.InTenant(t, f.tenant, func(ctx context.Context) error {
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "bob", Email: ptr("bob@example.com")})
		return err
	})
	bob := r.participant(f.tenant, "bob")
	ctx := context.Background()
	eraser := appTx(t, dialRaw(t, env.AppURL), f.tenant)
	_, err := eraser.Exec(ctx, `SELECT erase_participant($1, $2)`, f.tenant.String(), bob)
	must(t, err)
	recorder := appTx(t, dialRaw(t, env.AppURL), f.tenant)
	done := make(chan error, 1)
	go func() {
		_, err := recorder.Exec(ctx, `INSERT INTO participant_clients (tenant_id, participant_id, client_hash) VALUES (app_tenant_id(), $1, $2)`, bob, hash)
		if err == nil {
			err = recorder.Commit(ctx)
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the hash was written while the erasure was in progress: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	must(t, eraser.Commit(ctx))
	wantPgError(t, <-done, checkViolation, "participant_erased_records_nothing", "")
	if n := clientsOf(t, f.tenant, bob); n != 0 {
		t.Errorf("%d client hashes of bob outlived his erasure", n)
	}
}
