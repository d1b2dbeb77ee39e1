package console

import (
	"strconv"

	"fmt"
	"slices"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// campaignDiff says what publishing after (the draft) changes compared
// with before (the current version), for the publish page.
func campaignDiff(before, after models.Rules) views.CampaignDiff {
	var d views.CampaignDiff
	d.Before, d.After, d.Changes = diffSteps(before.Steps, after.Steps)
	d.Changes = append(d.Changes, diffMilestones(before.Milestones, after.Milestones)...)
	if before.RepeatLastMilestone != after.RepeatLastMilestone {
		text := "The last row now repeats for every further referral."
		if !after.RepeatLastMilestone {
			text = "The last row no longer repeats: referrals past the table earn nothing."
		}
		d.Changes = append(d.Changes, views.DiffChange{Area: "Host rewards", Kind: "changed", Text: text})
	}
	switch b, a := before.GuestReward, after.GuestReward; {
	case b == nil && a != nil:
		d.Changes = append(d.Changes, views.DiffChange{Area: "Guest reward", Kind: "added",
			Text: "Guests now earn " + views.RewardSummary(a) + "."})
	case b != nil && a == nil:
		d.Changes = append(d.Changes, views.DiffChange{Area: "Guest reward", Kind: "removed",
			Text: "Guests no longer earn a reward (was " + views.RewardSummary(b) + ")."})
	case b != nil && !sameReward(*b, *a):
		d.Changes = append(d.Changes, views.DiffChange{Area: "Guest reward", Kind: "changed",
			Text: views.RewardSummary(b) + " → " + views.RewardSummary(a)})
	}
	if before.InvitationTTLHours != after.InvitationTTLHours {
		d.Changes = append(d.Changes, views.DiffChange{Area: "Invitations", Kind: "changed",
			Text: "New invitation links work for " + views.TTLLabel(after.InvitationTTLHours) +
				" instead of " + views.TTLLabel(before.InvitationTTLHours) + "."})
	}
	if expiryLabel(before.RewardExpiresAfterDays) != expiryLabel(after.RewardExpiresAfterDays) {
		d.Changes = append(d.Changes, views.DiffChange{Area: "Rewards", Kind: "changed",
			Text: "New rewards expire " + expiryLabel(after.RewardExpiresAfterDays) + " instead of " + expiryLabel(before.RewardExpiresAfterDays) + "."})
	}
	if views.ReviewLabel(before) != views.ReviewLabel(after) {
		d.Changes = append(d.Changes, views.DiffChange{Area: "Review", Kind: "changed",
			Text: "New rewards: " + views.ReviewLabel(after) + " (was: " + views.ReviewLabel(before) + ")."})
	}
	if views.VelocityLabel(before) != views.VelocityLabel(after) {
		d.Changes = append(d.Changes, views.DiffChange{Area: "Review", Kind: "changed",
			Text: "New claims: " + views.VelocityLabel(after) + " (was: " + views.VelocityLabel(before) + ")."})
	}
	return d
}

// diffSteps marks the steps of two quests. A step in both whose order
// relative to the other common steps changed is "moved"; steps that only
// shift because another was added or removed are not. The common steps
// that keep their order are a longest common subsequence.
func diffSteps(before, after []string) (b, a []views.DiffStep, changes []views.DiffChange) {
	kept := lcs(before, after)
	for i, e := range before {
		mark := ""
		switch {
		case !slices.Contains(after, e):
			mark = "removed"
			changes = append(changes, views.DiffChange{Area: "Quest", Kind: "removed",
				Text: fmt.Sprintf("Step %d, %s, is removed.", i+1, e)})
		case !kept[e]:
			mark = "moved"
		}
		b = append(b, views.DiffStep{Event: e, Mark: mark})
	}
	for j, e := range after {
		mark := ""
		switch i := slices.Index(before, e); {
		case i < 0:
			mark = "added"
			changes = append(changes, views.DiffChange{Area: "Quest", Kind: "added",
				Text: fmt.Sprintf("%s is added as step %d.", e, j+1)})
		case !kept[e]:
			mark = "moved"
			changes = append(changes, views.DiffChange{Area: "Quest", Kind: "moved",
				Text: fmt.Sprintf("%s moves from step %d to step %d.", e, i+1, j+1)})
		}
		a = append(a, views.DiffStep{Event: e, Mark: mark})
	}
	return b, a, changes
}

// lcs returns the elements of a longest common subsequence of x and y
// (quests are short: at most models.MaxQuestSteps). Among equally long
// ones it keeps the earliest steps of x, so a step brought forward is the
// one reported as moved.
func lcs(x, y []string) map[string]bool {
	n, m := len(x), len(y)
	t := make([][]int, n+1)
	for i := range t {
		t[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	kept := map[string]bool{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case x[i] == y[j]:
			kept[x[i]] = true
			i, j = i+1, j+1
		case t[i+1][j] > t[i][j+1]:
			i++
		default:
			j++
		}
	}
	return kept
}

// diffMilestones compares two milestone tables row by row, by the
// referral each row rewards.
func diffMilestones(before, after []models.Milestone) []views.DiffChange {
	var changes []views.DiffChange
	old := map[int]models.Reward{}
	for _, m := range before {
		old[m.Count] = m.Reward
	}
	now := map[int]bool{}
	for _, m := range after {
		now[m.Count] = true
		r, ok := old[m.Count]
		switch {
		case !ok:
			changes = append(changes, views.DiffChange{Area: "Host rewards", Kind: "added",
				Text: fmt.Sprintf("New row: the %s referral earns %s.", views.Ordinal(m.Count), views.RewardSummary(&m.Reward))})
		case !sameReward(r, m.Reward):
			changes = append(changes, views.DiffChange{Area: "Host rewards", Kind: "changed",
				Text: fmt.Sprintf("The %s referral: %s → %s", views.Ordinal(m.Count), views.RewardSummary(&r), views.RewardSummary(&m.Reward))})
		}
	}
	for _, m := range before {
		if !now[m.Count] {
			changes = append(changes, views.DiffChange{Area: "Host rewards", Kind: "removed",
				Text: fmt.Sprintf("Row removed: the %s referral earned %s.", views.Ordinal(m.Count), views.RewardSummary(&m.Reward))})
		}
	}
	return changes
}

func sameReward(a, b models.Reward) bool {
	return a.Description == b.Description && a.Kind == b.Kind && a.Quantity == b.Quantity &&
		a.Currency == b.Currency && (a.Amount == nil) == (b.Amount == nil) && (a.Amount == nil || *a.Amount == *b.Amount) &&
		(a.PercentOff == nil) == (b.PercentOff == nil) && (a.PercentOff == nil || *a.PercentOff == *b.PercentOff)
}

// expiryLabel says when a version's rewards expire.
func expiryLabel(days *int) string {
	if days == nil {
		return "never"
	}
	return strconv.Itoa(*days) + " days after they are issued"
}
