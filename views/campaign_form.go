package views

import (
	"github.com/tandemhq/tandem/models"
)

// CampaignForm is the draft editor's state: what the member typed, kept as
// typed (strings) so that a form answered with its errors, or rebuilt after
// a step is added or moved, loses nothing. The web layer reads it from the
// request and turns it into a models.CampaignInput.
type CampaignForm struct {
	// Slug is the campaign's, empty while creating one (SlugInput is what
	// is typed in the slug field then).
	Slug      string
	SlugInput string

	Name      string
	Mode      string
	SignupURL string
	// StartsAt and EndsAt are datetime-local values, in UTC.
	StartsAt string
	EndsAt   string
	// TTL is the invitation lifetime as typed, in TTLUnit ("hours" or
	// "days").
	TTL     string
	TTLUnit string
	// RewardExpiry is how many days rewards stay redeemable, as typed;
	// empty: for ever.
	RewardExpiry string
	// Review, ReviewThreshold and BlockHighRisk are the version's review
	// rules (models.Rules), as chosen.
	Review          string
	ReviewThreshold string
	BlockHighRisk   bool
	// VelocityClaims and VelocityWindow (minutes) are the version's
	// velocity limit, as typed.
	VelocityClaims string
	VelocityWindow string

	Steps      []string
	Milestones []MilestoneInput
	RepeatLast bool
	// GuestOn says the guest earns Guest.
	GuestOn bool
	Guest   RewardInput

	// NewEventName and NewEventDescription are the inline "define an
	// event" fields.
	NewEventName        string
	NewEventDescription string
	// DefinedEvent names the event just defined, to confirm it.
	DefinedEvent string

	// Catalog is the tenant's event definitions, for the step selects.
	Catalog []models.EventDefinition
	// Published is set once the campaign has a current version: its mode
	// is then fixed.
	Published bool
	// Totals is the milestone table's running total, computed by the server
	// from the rows that are valid so far.
	Totals []MilestoneTotal
	// RepeatValue is the last row's value when it repeats.
	RepeatValue string

	// Errors maps a field (models.ValidationError's Field, such as
	// "host_milestones[0].reward.amount") to its message.
	Errors map[string]string

	// focusField is firstError, once focusKnown (withFocus).
	focusField string
	focusKnown bool
}

// MilestoneInput is one row of the milestone table editor.
type MilestoneInput struct {
	Count  string
	Reward RewardInput
}

// RewardInput is a reward as typed: Amount in major units, PercentOff
// (a Stripe coupon's, instead of an amount) as a number such as 12.5.
type RewardInput struct {
	Description string
	Kind        string
	Quantity    string
	Amount      string
	Currency    string
	PercentOff  string
}

// Creating reports whether the form creates a new campaign.
func (f CampaignForm) Creating() bool { return f.Slug == "" }

// base is the URL the form's actions hang from.
func (f CampaignForm) base() string {
	if f.Creating() {
		return "/campaigns/new"
	}
	return "/campaigns/" + f.Slug
}

// SaveURL receives the whole form: save the draft.
func (f CampaignForm) SaveURL() string {
	if f.Creating() {
		return "/campaigns/new"
	}
	return f.base() + "/edit"
}

// EditorURL rebuilds a part of the form after a step or row is added,
// removed or moved (nothing is saved).
func (f CampaignForm) EditorURL() string { return f.base() + "/editor" }

// TotalURL recomputes the milestone total.
func (f CampaignForm) TotalURL() string { return f.base() + "/editor?op=total" }

// EventsURL defines an event inline.
func (f CampaignForm) EventsURL() string { return f.base() + "/events" }

// Title is the editor page's title.
func (f CampaignForm) Title() string {
	if f.Creating() {
		return "New campaign"
	}
	return "Edit " + f.Name
}

// firstError is the field of the error shown first, which gets the focus.
func (f CampaignForm) firstError() string {
	if len(f.Errors) == 0 {
		return ""
	}
	for _, key := range campaignFieldOrder(f) {
		if _, ok := f.Errors[key]; ok {
			return key
		}
	}
	return ""
}

// focus reports whether the input of field should take the focus: the
// first one in error. Every input asks, so the answer is worked out once
// per component (withFocus): asking firstError for each of n inputs would
// cost n² for a long milestone table.
func (f CampaignForm) focus(field string) bool {
	if !f.focusKnown {
		f = f.withFocus()
	}
	return field != "" && f.focusField == field
}

// withFocus returns f knowing which input takes the focus. The editor's
// components call it first; a copy that knows already is returned as is.
func (f CampaignForm) withFocus() CampaignForm {
	if !f.focusKnown {
		f.focusField, f.focusKnown = f.firstError(), true
	}
	return f
}

// Field keys: the names models.ValidationError gives the inputs, which the
// editor uses to place each message next to its input.
func stepKey(i int) string { return "quest.steps[" + itoa(i) + "]" }

func milestoneKey(i int, field string) string {
	return "host_milestones[" + itoa(i) + "]." + field
}

func guestKey(field string) string { return "guest_reward." + field }

// rewardFields are a reward's inputs, in the order the editor shows them.
var rewardFields = []string{"description", "kind", "quantity", "amount", "currency", "percent_off"}

// campaignFieldOrder lists every field the editor can place an error next
// to, in the order they appear.
func campaignFieldOrder(f CampaignForm) []string {
	keys := []string{"slug", "name", "mode", "signup_url", "starts_at", "ends_at", "invitation_ttl_hours", "reward_expires_after_days", "review", "review_threshold", "block_high_risk", "velocity_claims", "velocity_window_minutes", "quest.steps"}
	for i := range f.Steps {
		keys = append(keys, stepKey(i))
	}
	keys = append(keys, "new_event.name", "new_event.description", "host_milestones")
	for i := range f.Milestones {
		keys = append(keys, milestoneKey(i, "count"))
		for _, r := range rewardFields {
			keys = append(keys, milestoneKey(i, "reward."+r))
		}
	}
	keys = append(keys, "repeat_last_milestone")
	for _, r := range rewardFields {
		keys = append(keys, guestKey(r))
	}
	return keys
}

// PlacesError reports whether the editor shows an error for field next to
// an input; the web layer shows any other above the form.
func (f CampaignForm) PlacesError(field string) bool {
	for _, key := range campaignFieldOrder(f) {
		if key == field {
			return true
		}
	}
	return false
}

// catalogWith is the catalog, plus value when it is not in it, so that a
// step naming an unknown event still shows what it names.
func catalogWith(catalog []models.EventDefinition, value string) []models.EventDefinition {
	if value == "" {
		return catalog
	}
	for _, e := range catalog {
		if e.Name == value {
			return catalog
		}
	}
	return append(append([]models.EventDefinition{}, catalog...), models.EventDefinition{Name: value, Description: "Not in the event catalog"})
}

func eventOptionLabel(e models.EventDefinition) string {
	s := e.Name
	if e.Label != "" {
		s = e.Label + " · " + e.Name
	}
	if e.Builtin {
		return s + " (built in)"
	}
	return s
}
