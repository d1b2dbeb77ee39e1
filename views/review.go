package views

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/tandemhq/tandem/models"
)

// reviewQueueURL is the review queue with the filter of query.
func reviewQueueURL(query string) string {
	if query == "" {
		return "/review"
	}
	return "/review?" + query
}

// reviewSelected is item ticked as the page asks: every row (?select=all)
// or the rows ticked in a bulk form that was refused.
func reviewSelected(item ReviewItem, q ReviewQueue) ReviewItem {
	item.Selected = q.SelectAll || slices.Contains(q.Bulk.Ticked, item.Reward.ID)
	return item
}

// reviewAgeLabel is an age filter in words.
func reviewAgeLabel(name string) string {
	switch name {
	case "1d":
		return "Over a day"
	case "3d":
		return "Over 3 days"
	case "7d":
		return "Over a week"
	case "30d":
		return "Over 30 days"
	}
	return name
}

// ReviewOutcome is where a reward stands in review, in words: held,
// approved (issued, or settled since), rejected.
func ReviewOutcome(r models.RewardToken) string {
	switch {
	case r.Status == models.RewardHeld:
		return "held"
	case r.Status == models.RewardVoided && r.ReviewReason != nil:
		return "rejected"
	case r.ReviewedAt != nil:
		return "approved"
	}
	return r.Status
}

func reviewStatusClass(status string) string {
	if status == models.RewardHeld {
		return "badge status-wait"
	}
	return opsStatusClass(status)
}

func reviewRiskClass(level string) string {
	if level == models.RiskHigh {
		return "badge risk-high"
	}
	return "badge risk-medium"
}

// reviewOthersHeading counts a host's other referrals.
func reviewOthersHeading(host string, n int) string {
	switch n {
	case 0:
		return "No other referral of " + host
	case 1:
		return "1 other referral of " + host
	}
	return fmt.Sprintf("%d other referrals of %s", n, host)
}

// reviewReferralState is how far a referral went.
func reviewReferralState(r models.HostReferral) string {
	if r.CompletedAt != nil {
		return "completed " + opsWhen(*r.CompletedAt)
	}
	return "claimed " + opsWhen(r.ClaimedAt)
}

// reviewHostInvitationsURL lists a host's invitations.
func reviewHostInvitationsURL(host string) string {
	return "/invitations?" + url.Values{"host": {host}}.Encode()
}
