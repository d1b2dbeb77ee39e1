package views

import (
	"strconv"
	"time"

	"github.com/tandemhq/tandem/models"
)

func itoa(i int) string { return strconv.Itoa(i) }

// ModeLabel is how a campaign mode reads on a page.
func ModeLabel(mode string) string {
	switch mode {
	case models.ModeInvitation:
		return "Invitation"
	case models.ModeReferrerCode:
		return "Referrer code"
	}
	return mode
}

// ModeDescription says what a mode means for hosts and guests.
func ModeDescription(mode string) string {
	switch mode {
	case models.ModeInvitation:
		return "Hosts send single-use invitation links, one per guest. Each link expires after the invitation lifetime."
	case models.ModeReferrerCode:
		return "Each host gets one reusable personal code or link; whoever signs up with it becomes their guest."
	}
	return ""
}

// StatusLabel is how a campaign status reads on a badge.
func StatusLabel(status string) string {
	switch status {
	case "draft":
		return "Draft"
	case "active":
		return "Active"
	case "paused":
		return "Paused"
	case "ended":
		return "Ended"
	}
	return status
}

// campaignStatusClass is the badge class of a campaign status.
func campaignStatusClass(status string) string { return "badge status-" + status }

// KindLabel is how a reward kind reads.
func KindLabel(kind string) string {
	switch kind {
	case "credit":
		return "Credit"
	case "coupon":
		return "Coupon"
	case "cash":
		return "Cash"
	case "ticket":
		return "Raffle ticket"
	case "custom":
		return "Custom"
	case "stripe_coupon":
		return "Stripe coupon"
	case "stripe_balance":
		return "Stripe balance credit"
	}
	return kind
}

// TTLLabel writes an invitation lifetime in hours for people: "30 days",
// "36 hours".
func TTLLabel(hours int) string {
	if hours%24 == 0 {
		return countOf(hours/24, "day")
	}
	return countOf(hours, "hour")
}

// formatTime writes a timestamp in UTC, as the editor takes it.
func formatTime(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// formatOptionalTime is formatTime, or dash for none.
func formatOptionalTime(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return formatTime(*t)
}

// versionLabel is "v3".
func versionLabel(n int) string { return "v" + itoa(n) }

// Ordinal is "1st", "2nd", "3rd", "11th".
func Ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return itoa(n) + suffix
}
