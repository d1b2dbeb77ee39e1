package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/internal/money"
	"github.com/tandemhq/tandem/models"
)

// What a reward is worth, as the campaign builder shows it. The currency
// rules themselves (decimals, formatting, never adding across currencies)
// are package money's.

// CommonCurrencies are offered as suggestions in currency inputs (any ISO
// code may be typed).
var CommonCurrencies = []string{"USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "BRL", "INR", "MXN"}

// RewardValue is what a reward is worth, in short: its amount or its
// percentage off when it has one, else its quantity and kind ("2 tickets").
func RewardValue(r models.Reward) string {
	if r.Amount != nil && r.Currency != "" {
		return money.Format(*r.Amount, r.Currency)
	}
	if r.PercentOff != nil {
		return PercentLabel(*r.PercentOff)
	}
	return countOf(max(r.Quantity, 1), r.Kind)
}

// PercentLabel is a percentage coupon's value as people read it: "20% off",
// "12.5% off".
func PercentLabel(p float64) string { return PercentNumber(p) + "% off" }

// PercentNumber is a percentage as typed and exported: "20", "12.5".
func PercentNumber(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// countOf is "1 ticket", "3 tickets".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// rewardSum adds rewards up the only ways that make sense: amounts per
// currency, and rewards without an amount per kind by quantity, each in the
// order it first appears ("$30.00 + €5.00 + 2 tickets"). Rewards are added
// one at a time and the sum so far can be written at any point, so that a
// running total over n rows costs n additions (and one string per row), not
// n².
type rewardSum struct {
	keys []string // "money:USD", "count:ticket", in order of appearance
	sums map[string]int64
}

// add adds one reward to the sum.
func (s *rewardSum) add(r models.Reward) {
	key, n := "count:"+r.Kind, int64(max(r.Quantity, 1))
	if r.Amount != nil && r.Currency != "" {
		key, n = "money:"+r.Currency, *r.Amount
	} else if r.PercentOff != nil {
		// Percentages off do not add up: coupons of one percentage are counted.
		key = "percent:" + PercentLabel(*r.PercentOff)
	} else if r.Kind == "" {
		return
	}
	if s.sums == nil {
		s.sums = map[string]int64{}
	}
	if _, seen := s.sums[key]; !seen {
		s.keys = append(s.keys, key)
	}
	s.sums[key] += n
}

// String writes the sum so far: "$30.00 + €5.00 + 2 tickets", "nothing".
func (s *rewardSum) String() string {
	if len(s.keys) == 0 {
		return "nothing"
	}
	parts := make([]string, 0, len(s.keys))
	for _, key := range s.keys {
		what, name, _ := strings.Cut(key, ":")
		switch {
		case what == "money":
			parts = append(parts, money.Format(s.sums[key], name))
		case what == "percent" && s.sums[key] == 1:
			parts = append(parts, name)
		case what == "percent":
			parts = append(parts, fmt.Sprintf("%d × %s", s.sums[key], name))
		default:
			parts = append(parts, countOf(int(s.sums[key]), name))
		}
	}
	return strings.Join(parts, " + ")
}

// MilestoneTotal is what a host has earned after Count successful
// referrals: "3 referrals = $30.00".
type MilestoneTotal struct {
	Count int
	Value string
}

// Label is the total as a sentence fragment.
func (t MilestoneTotal) Label() string {
	return countOf(t.Count, "referral") + " = " + t.Value
}

// MilestoneTotals is the running total at each row of a milestone table:
// the sum of every row up to and including it (rows sit at strictly
// increasing counts; a count between two rows earns nothing). Rows that
// are not yet valid are skipped, so a half-typed table still adds up. One
// pass: each row is added once to the sum so far.
func MilestoneTotals(ms []models.Milestone) []MilestoneTotal {
	var out []MilestoneTotal
	var sofar rewardSum
	last := 0
	for _, m := range ms {
		if m.Count <= last {
			continue
		}
		last = m.Count
		sofar.add(m.Reward)
		out = append(out, MilestoneTotal{Count: m.Count, Value: sofar.String()})
	}
	return out
}

// RunningTotals is the running-total column of a milestone table, one
// entry per row: the total after the last valid row up to and including
// it (as MilestoneTotals counts them), "" before the first. One pass.
func RunningTotals(ms []models.Milestone) []string {
	out := make([]string, len(ms))
	var sofar rewardSum
	last, value := 0, ""
	for i, m := range ms {
		if m.Count > last {
			last = m.Count
			sofar.add(m.Reward)
			value = sofar.String()
		}
		out[i] = value
	}
	return out
}
