package views

// Helpers shared by the operations pages (participants, invitations,
// rewards, raffles, event catalog, API keys, audit log). Their names start
// with ops so they stay clear of the other pages' helpers.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/tandemhq/tandem/internal/money"
	"github.com/tandemhq/tandem/models"
)

// Pager is the way through a long list: the next page's URL when there is
// one, and the first page's when this is not it.
type Pager struct {
	Next  string
	First string
}

// opsRewardValue is a token's value: its amount with currency or its
// percentage off (times its quantity, when more than one), its tickets, or
// a dash when it has no such value (its description says what it is).
func opsRewardValue(r models.RewardToken) string {
	switch {
	case r.PercentOff != nil && r.Quantity > 1:
		return fmt.Sprintf("%s ×%d", PercentLabel(*r.PercentOff), r.Quantity)
	case r.PercentOff != nil:
		return PercentLabel(*r.PercentOff)
	case r.Amount != nil && r.Currency != nil && r.Quantity > 1:
		return fmt.Sprintf("%s ×%d", money.Format(*r.Amount, *r.Currency), r.Quantity)
	case r.Amount != nil && r.Currency != nil:
		return money.Format(*r.Amount, *r.Currency)
	case r.Kind == "ticket" && r.Quantity == 1:
		return "1 ticket"
	case r.Kind == "ticket":
		return fmt.Sprintf("%d tickets", r.Quantity)
	case r.Quantity > 1:
		return fmt.Sprintf("×%d", r.Quantity)
	}
	return "—"
}

// opsWhen is a moment as pages show it; opsStamp is its machine form.
// opsWhen is a moment for a person: the date never breaks inside (no-break
// spaces), so in a narrow column it takes two lines at most, date then time.
func opsWhen(t time.Time) string  { return t.Local().Format("2\u00a0Jan\u00a02006, 15:04") }
func opsStamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// opsStep is one segment of a quest's progress bar.
type opsStep struct {
	Name  string
	State string // "done", "next" or "todo"
}

// opsSteps is the progress bar of an invitation: the steps its guest has
// done, the one they are on, and the rest. Before a claim no step is next.
func opsSteps(ctx context.Context, inv models.QuestInvitation) []opsStep {
	out := make([]opsStep, len(inv.Steps))
	for i, name := range inv.Steps {
		state := "todo"
		switch {
		case inv.Status == models.StatusCompleted || i < inv.Progress.Done:
			state = "done"
		case i == inv.Progress.Done && inv.Guest != nil:
			state = "next"
		}
		out[i] = opsStep{Name: StepLabel(ctx, name), State: state}
	}
	return out
}

// opsProgressLabel says how far a guest is, for people and screen readers.
func opsProgressLabel(ctx context.Context, inv models.QuestInvitation) string {
	switch {
	case inv.Status == models.StatusCompleted:
		return fmt.Sprintf("Completed all %d steps", inv.Progress.Total)
	case inv.Guest == nil:
		return fmt.Sprintf("Not claimed yet · %d steps", inv.Progress.Total)
	}
	label := fmt.Sprintf("%d of %d steps done", inv.Progress.Done, inv.Progress.Total)
	if inv.Progress.NextStep != nil {
		label += " · next: " + StepLabel(ctx, *inv.Progress.NextStep)
	}
	return label
}

// opsStatusClass is the badge class of a status (invitation or reward).
func opsStatusClass(status string) string {
	switch status {
	case models.StatusCompleted, models.RewardRedeemed:
		return "badge status-good"
	case models.StatusExpired, models.RewardVoided:
		return "badge status-off"
	case models.StatusPending, models.RewardIssued:
		return "badge status-wait"
	}
	return "badge"
}

// opsLabel makes a snake_case value read as words: "host_milestone" →
// "Host milestone".
func opsLabel(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// opsParticipantURL is a participant's page; external ids may hold any
// printable character, so the id is escaped as one path segment.
func opsParticipantURL(externalID string) templ.SafeURL {
	return templ.SafeURL("/participants/" + url.PathEscape(externalID))
}
