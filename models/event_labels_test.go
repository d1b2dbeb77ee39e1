package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// An event's label is optional, kept when a backend defines the event
// again without one, cleared by an empty one, and refused (a field error
// before the database, a named CHECK in it) when it is too long, padded
// or more than one line.
func TestEventDefinitionLabels(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	label := func(s string) *string { return &s }
	env.InTenant(t, tenant, func(ctx context.Context) error {
		def, created, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: "first_order", Label: label("Placed a first order")})
		must(t, err)
		if !created || def.Label != "Placed a first order" || def.Display() != "Placed a first order" {
			t.Errorf("defined %+v (created %v)", def, created)
		}
		def, _, err = models.DefineEvent(ctx, "first_order", "from the shop")
		must(t, err)
		if def.Label != "Placed a first order" || def.Description != "from the shop" {
			t.Errorf("defining again without a label: %+v, want the label kept", def)
		}
		def, _, err = models.DefineEventWith(ctx, models.EventDefinitionInput{Name: "first_order", Description: "from the shop", Label: label("")})
		must(t, err)
		if def.Label != "" || def.Display() != "first_order" {
			t.Errorf("an empty label: %+v reads %q, want the name", def, def.Display())
		}
		for _, bad := range []string{strings.Repeat("é", models.MaxEventLabel+1), " padded", "two\nlines", "tab\there"} {
			_, _, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: "first_order", Label: &bad})
			var ve *models.ValidationError
			if !errors.As(err, &ve) || ve.Field != "label" {
				t.Errorf("label %q: %v, want a field error on label", bad, err)
			}
		}
		if got, err := models.GetEventDefinition(ctx, "first_order"); err != nil || got.Label != "" {
			t.Errorf("after refused labels: %+v, %v", got, err)
		}
		return nil
	})

	r := newRawDB(t)
	set := `UPDATE event_definitions SET label = $2 WHERE tenant_id = $1 AND name = 'first_order'`
	r.run(t, tenant, []attack{
		{name: "a label longer than 80 characters", stmt: q(set, tenant.String(), strings.Repeat("x", 81)),
			code: checkViolation, constraint: "event_definition_label_length"},
		{name: "a label of blanks", stmt: q(set, tenant.String(), "   "),
			code: checkViolation, constraint: "event_definition_label_one_line"},
		{name: "a label with a trailing space", stmt: q(set, tenant.String(), "Ordered "),
			code: checkViolation, constraint: "event_definition_label_one_line"},
		{name: "a label on two lines", stmt: q(set, tenant.String(), "Ordered\nonce"),
			code: checkViolation, constraint: "event_definition_label_one_line"},
		{name: "a label with a tab as owner", owner: true, stmt: q(set, tenant.String(), "Ordered\tonce"),
			code: checkViolation, constraint: "event_definition_label_one_line"},
		{name: "control: 80 characters", stmt: q(set, tenant.String(), strings.Repeat("é", 80)), rows: 1},
	})
}

// The widget shows a guest's next step by its label when it has one, by
// its name (which the widget turns into words) when not.
func TestWidgetGuestsNextStepLabel(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	signedUp := "Signed up"
	var code string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: "s1", Label: &signedUp})
		must(t, err)
		_, _, err = models.DefineEvent(ctx, "s2", "")
		must(t, err)
		dashCampaign(t, ctx, "w", models.ModeInvitation, false, models.Rules{Steps: []string{"s1", "s2"}})
		code = mustInvite(t, ctx, "w", "host0").Code
		mustClaim(t, ctx, code, "g1")
		return nil
	})
	next := func() (step, label *string) {
		t.Helper()
		env.InTenant(t, tenant, func(ctx context.Context) error {
			c, err := models.GetCampaign(ctx, "w")
			must(t, err)
			host, err := models.GetParticipant(ctx, "host0")
			must(t, err)
			guests, _, err := models.ListWidgetGuests(ctx, host.ID, c.ID, models.Page{})
			must(t, err)
			if len(guests) != 1 {
				t.Fatalf("%d guests", len(guests))
			}
			step, label = guests[0].NextStep, guests[0].NextStepLabel
			return nil
		})
		return step, label
	}
	if step, label := next(); step == nil || *step != "s1" || label == nil || *label != signedUp {
		t.Errorf("claimed: next step %v labelled %v, want s1 labelled %q", step, label, signedUp)
	}
	env.InTenant(t, tenant, func(ctx context.Context) error { return event(ctx, "g1", "s1") })
	if step, label := next(); step == nil || *step != "s2" || label != nil {
		t.Errorf("after s1: next step %v labelled %v, want s2 without a label", step, label)
	}
	env.InTenant(t, tenant, func(ctx context.Context) error { return event(ctx, "g1", "s2") })
	if step, label := next(); step != nil || label != nil {
		t.Errorf("completed: next step %v labelled %v, want none", step, label)
	}
}
