package console

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/money"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The draft editor's form: reading it from a request (views.CampaignForm,
// everything as typed), turning it into models' input, and placing the
// models' verdict next to the right input.
//
// The repeated inputs (step, and the ms_* columns of the milestone table)
// are parallel lists in document order: every row always sends each of its
// inputs, so the nth values belong together.

// datetimeLocal is the format of <input type="datetime-local">, read and
// written in UTC (the editor says so).
const datetimeLocal = "2006-01-02T15:04"

// readCampaignForm reads the editor's fields as typed.
func readCampaignForm(c *fiber.Ctx) views.CampaignForm {
	f := views.CampaignForm{
		SlugInput:           strings.ToLower(formValue(c, "slug")),
		Name:                formValue(c, "name"),
		Mode:                formValue(c, "mode"),
		SignupURL:           formValue(c, "signup_url"),
		StartsAt:            formValue(c, "starts_at"),
		EndsAt:              formValue(c, "ends_at"),
		TTL:                 formValue(c, "ttl"),
		TTLUnit:             formValue(c, "ttl_unit"),
		RewardExpiry:        formValue(c, "reward_expiry"),
		Review:              formValue(c, "review"),
		ReviewThreshold:     formValue(c, "review_threshold"),
		BlockHighRisk:       formValue(c, "block_high_risk") != "",
		VelocityClaims:      formValue(c, "velocity_claims"),
		VelocityWindow:      formValue(c, "velocity_window"),
		Steps:               formList(c, "step"),
		RepeatLast:          formValue(c, "repeat_last") != "",
		GuestOn:             formValue(c, "guest_on") != "",
		NewEventName:        formValue(c, "new_event_name"),
		NewEventDescription: formValue(c, "new_event_description"),
		Guest: views.RewardInput{
			Description: formValue(c, "guest_description"),
			Kind:        formValue(c, "guest_kind"),
			Quantity:    formValue(c, "guest_quantity"),
			Amount:      formValue(c, "guest_amount"),
			Currency:    strings.ToUpper(formValue(c, "guest_currency")),
			PercentOff:  formValue(c, "guest_percent_off"),
		},
	}
	counts, descs, kinds := formList(c, "ms_count"), formList(c, "ms_description"), formList(c, "ms_kind")
	qtys, amounts, currencies := formList(c, "ms_quantity"), formList(c, "ms_amount"), formList(c, "ms_currency")
	percents := formList(c, "ms_percent_off")
	rows := max(len(counts), len(descs), len(kinds), len(qtys), len(amounts), len(currencies), len(percents))
	// A form carries at most one row (or step) more than a version may
	// hold: enough for the models to say "too many", and no more work for
	// whoever posts thousands.
	rows = min(rows, models.MaxMilestones+1)
	if len(f.Steps) > models.MaxQuestSteps+1 {
		f.Steps = f.Steps[:models.MaxQuestSteps+1]
	}
	for i := range rows {
		f.Milestones = append(f.Milestones, views.MilestoneInput{Count: at(counts, i), Reward: views.RewardInput{
			Description: at(descs, i), Kind: at(kinds, i), Quantity: at(qtys, i),
			Amount: at(amounts, i), Currency: strings.ToUpper(at(currencies, i)), PercentOff: at(percents, i),
		}})
	}
	return f
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// campaignFormFrom fills the editor from a campaign and the rules it edits
// (its draft, or else its current version). c is nil for a new campaign.
func campaignFormFrom(c *models.Campaign, rules models.Rules) views.CampaignForm {
	f := views.CampaignForm{Mode: models.ModeInvitation, TTL: "30", TTLUnit: "days", Steps: rules.Steps,
		RepeatLast: rules.RepeatLastMilestone}
	if c != nil {
		f.Slug, f.Name, f.Mode, f.SignupURL = c.Slug, c.Name, c.Mode, c.SignupURL
		f.Published = c.CurrentVersion != nil
		if c.StartsAt != nil {
			f.StartsAt = c.StartsAt.UTC().Format(datetimeLocal)
		}
		if c.EndsAt != nil {
			f.EndsAt = c.EndsAt.UTC().Format(datetimeLocal)
		}
	}
	if h := rules.InvitationTTLHours; h > 0 {
		if h%24 == 0 {
			f.TTL, f.TTLUnit = strconv.Itoa(h/24), "days"
		} else {
			f.TTL, f.TTLUnit = strconv.Itoa(h), "hours"
		}
	}
	if d := rules.RewardExpiresAfterDays; d != nil {
		f.RewardExpiry = strconv.Itoa(*d)
	}
	f.Review, f.ReviewThreshold, f.BlockHighRisk = rules.Review, rules.ReviewThreshold, rules.BlockHighRisk
	if rules.VelocityClaims > 0 {
		f.VelocityClaims, f.VelocityWindow = strconv.Itoa(rules.VelocityClaims), strconv.Itoa(rules.VelocityWindowMinutes)
	}
	if len(f.Steps) == 0 {
		f.Steps = []string{""} // a first select to pick from
	}
	for _, m := range rules.Milestones {
		f.Milestones = append(f.Milestones, views.MilestoneInput{Count: strconv.Itoa(m.Count), Reward: rewardInput(m.Reward)})
	}
	if rules.GuestReward != nil {
		f.GuestOn, f.Guest = true, rewardInput(*rules.GuestReward)
	}
	return f
}

func rewardInput(r models.Reward) views.RewardInput {
	in := views.RewardInput{Description: r.Description, Kind: r.Kind, Currency: r.Currency}
	if r.Quantity > 0 {
		in.Quantity = strconv.Itoa(r.Quantity)
	}
	if r.Amount != nil {
		in.Amount = money.MajorUnits(*r.Amount, r.Currency)
	}
	if r.PercentOff != nil {
		in.PercentOff = views.PercentNumber(*r.PercentOff)
	}
	return in
}

// campaignInput turns the form into models' input. The errors are the
// inputs it could not read (a date, a number, an amount), by field key; the
// models judge everything else.
func campaignInput(f views.CampaignForm) (models.CampaignInput, map[string]string) {
	errs := map[string]string{}
	in := models.CampaignInput{Name: f.Name, Mode: f.Mode, SignupURL: f.SignupURL}
	in.StartsAt = parseFormTime(f.StartsAt, "starts_at", errs)
	in.EndsAt = parseFormTime(f.EndsAt, "ends_at", errs)
	in.Rules.Steps = f.Steps
	if in.Rules.Steps == nil {
		in.Rules.Steps = []string{}
	}
	if f.TTL != "" {
		n, err := strconv.Atoi(f.TTL)
		switch {
		case err != nil || n < 1:
			errs["invitation_ttl_hours"] = "Enter a whole number of days or hours, such as 30."
		case n > 87600:
			errs["invitation_ttl_hours"] = "At most 10 years."
		case f.TTLUnit == "hours":
			in.Rules.InvitationTTLHours = n
		default:
			in.Rules.InvitationTTLHours = n * 24
		}
	}
	if f.RewardExpiry != "" {
		if n, err := strconv.Atoi(f.RewardExpiry); err == nil {
			in.Rules.RewardExpiresAfterDays = &n
		} else {
			errs["reward_expires_after_days"] = "Enter a whole number of days, such as 90, or leave it empty."
		}
	}
	in.Rules.Review, in.Rules.ReviewThreshold, in.Rules.BlockHighRisk = f.Review, f.ReviewThreshold, f.BlockHighRisk
	// Empty: the default (models.Rules); anything else must be a number.
	for _, v := range []struct {
		typed, key, example string
		into                *int
	}{
		{f.VelocityClaims, "velocity_claims", "10", &in.Rules.VelocityClaims},
		{f.VelocityWindow, "velocity_window_minutes", "60", &in.Rules.VelocityWindowMinutes},
	} {
		if v.typed == "" {
			continue
		}
		if n, err := strconv.Atoi(v.typed); err == nil && n > 0 {
			*v.into = n
		} else {
			errs[v.key] = "Enter a whole number of at least 1, such as " + v.example + ", or leave it empty for the default."
		}
	}
	in.Rules.Milestones = []models.Milestone{}
	for i, row := range f.Milestones {
		m := models.Milestone{}
		if n, err := strconv.Atoi(row.Count); err == nil {
			m.Count = n
		} else {
			errs[milestoneField(i, "count")] = "Enter which successful referral this row rewards, such as 1."
		}
		m.Reward = readReward(row.Reward, milestoneField(i, "reward"), errs)
		in.Rules.Milestones = append(in.Rules.Milestones, m)
	}
	in.Rules.RepeatLastMilestone = f.RepeatLast
	if f.GuestOn {
		r := readReward(f.Guest, "guest_reward", errs)
		in.Rules.GuestReward = &r
	}
	if len(errs) == 0 {
		errs = nil
	}
	return in, errs
}

func milestoneField(i int, field string) string {
	return "host_milestones[" + strconv.Itoa(i) + "]." + field
}

func readReward(in views.RewardInput, field string, errs map[string]string) models.Reward {
	r := models.Reward{Description: in.Description, Kind: in.Kind, Currency: in.Currency}
	if in.Quantity != "" {
		if n, err := strconv.Atoi(in.Quantity); err == nil && n >= 1 {
			r.Quantity = n
		} else {
			errs[field+".quantity"] = "Enter a whole number from 1, or leave it empty for 1."
		}
	}
	amount, msg := parseAmount(in.Amount, in.Currency)
	if msg != "" {
		errs[field+".amount"] = msg
	}
	r.Amount = amount
	if percent, ok := parsePercent(in); ok {
		r.PercentOff = percent
	} else {
		errs[field+".percent_off"] = "Enter a percentage such as 20 or 12.5, or leave it empty."
	}
	return r
}

// parsePercent reads a percentage off as typed ("20", "12.5", "20 %"). The
// input shows for a Stripe coupon only, so for any other kind whatever it
// still holds is not part of the reward: nil, as when it is empty.
func parsePercent(in views.RewardInput) (*float64, bool) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(in.PercentOff), "%"))
	if s == "" || in.Kind != models.RewardStripeCoupon {
		return nil, true
	}
	p, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(p) || math.IsInf(p, 0) {
		return nil, false
	}
	return &p, true
}

func parseFormTime(s, field string, errs map[string]string) *time.Time {
	if s == "" {
		return nil
	}
	for _, layout := range []string{datetimeLocal, datetimeLocal + ":05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return &t
		}
	}
	errs[field] = "Enter a date and time, or leave it empty."
	return nil
}

// withTotals computes the milestone table's running total from the rows
// that can be read so far, and the value of the repeated last row.
func withTotals(f views.CampaignForm) views.CampaignForm {
	var ms []models.Milestone
	for _, row := range f.Milestones {
		n, err := strconv.Atoi(row.Count)
		if err != nil {
			continue
		}
		r := models.Reward{Kind: row.Reward.Kind, Quantity: 1}
		if q, err := strconv.Atoi(row.Reward.Quantity); err == nil && q > 0 {
			r.Quantity = q
		}
		if amount, msg := parseAmount(row.Reward.Amount, row.Reward.Currency); msg == "" && amount != nil && row.Reward.Currency != "" {
			r.Amount, r.Currency = amount, row.Reward.Currency
		}
		if percent, ok := parsePercent(row.Reward); ok && percent != nil && r.Amount == nil {
			r.PercentOff = percent
		}
		ms = append(ms, models.Milestone{Count: n, Reward: r})
	}
	f.Totals = views.MilestoneTotals(ms)
	f.RepeatValue = ""
	if f.RepeatLast && len(ms) > 0 {
		f.RepeatValue = views.RewardValue(ms[len(ms)-1].Reward)
	}
	return f
}

// placeCampaignError puts an error the member can fix into the form, next
// to its input (or above the form when no input matches), and reports
// whether it was such an error.
func placeCampaignError(f *views.CampaignForm, err error) bool {
	var ve *models.ValidationError
	field, msg := "", ""
	switch {
	case errors.As(err, &ve):
		field, msg = ve.Field, campaignFieldMessage(ve)
	case errors.Is(err, models.ErrCampaignExists):
		field, msg = "slug", "A campaign with this slug already exists. Choose another one."
	case errors.Is(err, models.ErrCampaignModeFixed), errors.Is(err, models.ErrCampaignModeMismatch):
		field, msg = "mode", "The mode can no longer change: the campaign has been published or has handed out codes."
	default:
		return false
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if !f.PlacesError(field) {
		field = "form"
	}
	f.Errors[field] = msg
	return true
}

// campaignFieldMessage is models' verdict in the editor's words: the
// models speak of API fields and minor units, the editor of inputs and
// amounts as typed.
func campaignFieldMessage(ve *models.ValidationError) string {
	isStep := strings.HasPrefix(ve.Field, "quest.steps[")
	switch ve.Code {
	case "invalid_event_name":
		if isStep {
			return "Choose an event for this step, or remove the step."
		}
		return "Use lowercase letters, digits and _, starting with a letter, such as purchase_complete."
	case "duplicate_step":
		return "This event is already a step of the quest: each event can be one step only."
	case "required":
		if ve.Field == "quest.steps" {
			return "Add at least one step: the event that makes a referral count."
		}
	case "unknown_event":
		return "Every step must be an event of the catalog. Define the missing event first."
	case "invalid_slug":
		return "Use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit."
	case "invalid_url":
		return "Enter a full address starting with https://, or leave it empty."
	case "invalid_window":
		return "The end must be after the start."
	case "invalid_ttl":
		return "Between 1 hour and 10 years."
	case "invalid_reward_expiry":
		return "Between 1 day and 10 years, or empty for never."
	case "invalid_reward_kind":
		return "Choose a kind."
	case "invalid_quantity":
		return "Enter a quantity from 1 to 1,000,000."
	case "invalid_amount":
		return "Enter an amount of zero or more."
	case "currency_required":
		return "An amount needs a currency, and a currency needs an amount."
	case "invalid_currency":
		return "Use a three-letter currency code, such as USD."
	case "invalid_percent_off":
		return "A coupon is an amount or a percentage off, not both: a percentage above 0 and at most 100, with at most two decimals."
	case "invalid_milestones":
		if ve.Field == "repeat_last_milestone" {
			return "There is no row to repeat: add a row first, or untick this."
		}
	case "invalid_length":
		switch {
		case ve.Field == "name":
			return "Give the campaign a name (up to 200 characters)."
		case strings.HasSuffix(ve.Field, ".description"):
			return "Describe the reward, such as \u201c$10 store credit\u201d (up to 500 characters)."
		}
	}
	return sentence(ve.Message)
}

// slugFromName makes a slug from a campaign's name: lowercase ASCII
// letters and digits, other runs of characters as one dash.
func slugFromName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 63 {
			break
		}
	}
	return strings.TrimRight(b.String(), "-")
}
