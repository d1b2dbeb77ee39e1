package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// An erased participant stays erased: an upsert that repeats its old
// contact fields under its old external id makes a new participant, one
// under its pseudonym that brings contact fields is refused
// (participant_erased), and not even the schema's owner can fill them
// again.
func TestErasedParticipantStaysBlank(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	old := models.ParticipantInput{ExternalID: "zoe", Email: ptr("zoe@example.com"), Phone: ptr("+4915550199"), DisplayName: ptr("Zoe")}
	var erased models.Erasure
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.UpsertParticipant(ctx, old)
		must(t, err)
		erased, err = models.EraseParticipant(ctx, "zoe")
		return err
	})
	for name, in := range map[string]models.ParticipantInput{
		"e-mail":       {ExternalID: erased.ExternalID, Email: ptr("zoe@example.com")},
		"phone":        {ExternalID: erased.ExternalID, Phone: ptr("+4915550199")},
		"display name": {ExternalID: erased.ExternalID, DisplayName: ptr("Zoe")},
	} {
		err := env.TryInTenant(tenant, func(ctx context.Context) error {
			_, _, err := models.UpsertParticipant(ctx, in)
			return err
		})
		if !errors.Is(err, models.ErrParticipantErased) {
			t.Errorf("the pseudonym upserted with its old %s: %v", name, err)
		}
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		// Naming it without contact fields changes nothing and is no error.
		p, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: erased.ExternalID})
		must(t, err)
		if p.ID != erased.ID || p.Email != nil || p.DisplayName != "" {
			t.Errorf("the erased participant named again: %+v", p)
		}
		fresh, created, err := models.UpsertParticipant(ctx, old)
		must(t, err)
		if !created || fresh.ID == erased.ID || fresh.ErasedAt != nil {
			t.Errorf("the old external id with the old fields: %+v (created %v), the erased participant is %s", fresh, created, erased.ID)
		}
		return nil
	})
	r := newRawDB(t)
	r.run(t, tenant, []attack{
		{name: "fill an erased participant's e-mail as owner", owner: true,
			stmt: q(`UPDATE participants SET email = 'zoe@example.com' WHERE tenant_id = $1 AND id = $2`, tenant.String(), erased.ID),
			code: checkViolation, constraint: "participant_erased_stays_blank"},
		{name: "unerase by hand as owner", owner: true,
			stmt: q(`UPDATE participants SET display_name = 'Zoe' WHERE tenant_id = $1 AND id = $2`, tenant.String(), erased.ID),
			code: checkViolation, constraint: "participant_erased_stays_blank"},
	})
}
