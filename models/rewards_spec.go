package models

import (
	"fmt"
	"slices"

	"github.com/tandemhq/tandem/money"
)

// Reward describes what a reward token is worth: free text, a kind, a
// quantity, and optionally a money value in minor units with its currency.
type Reward struct {
	Description string `json:"description"`
	Kind        string `json:"kind"`
	Quantity    int    `json:"quantity"`
	Amount      *int64 `json:"amount,omitempty"`
	Currency    string `json:"currency,omitempty"`
}

// Milestone says that the host's Count-th completed invitation earns Reward.
type Milestone struct {
	Count  int    `json:"count"`
	Reward Reward `json:"reward"`
}

func (r *Reward) validate(field string) error {
	if err := validateText(field+".description", r.Description, 1, 500); err != nil {
		return err
	}
	if !slices.Contains(RewardKinds, r.Kind) {
		return invalid(field+".kind", "invalid_reward_kind", "kind must be one of %v", RewardKinds)
	}
	if r.Quantity == 0 {
		r.Quantity = 1
	}
	if r.Quantity < 1 || r.Quantity > 1_000_000 {
		return invalid(field+".quantity", "invalid_quantity", "quantity must be between 1 and 1000000")
	}
	if r.Amount != nil && *r.Amount < 0 {
		return invalid(field+".amount", "invalid_amount", "amount is in minor units and cannot be negative")
	}
	if (r.Amount == nil) != (r.Currency == "") {
		return invalid(field+".currency", "currency_required", "an amount needs a currency and a currency needs an amount")
	}
	if r.Currency != "" && !money.ValidCode(r.Currency) {
		return invalid(field+".currency", "invalid_currency", "currency is an ISO 4217 code such as USD")
	}
	return nil
}

// validateMilestones checks the host milestone table: counts strictly
// increasing from 1, every reward valid.
func validateMilestones(ms []Milestone) error {
	for i := range ms {
		field := fmt.Sprintf("host_milestones[%d]", i)
		want := "be 1"
		if i > 0 {
			want = fmt.Sprintf("be greater than %d", ms[i-1].Count)
		}
		if (i == 0 && ms[i].Count != 1) || (i > 0 && ms[i].Count <= ms[i-1].Count) {
			return invalid(field+".count", "invalid_milestones", "counts increase strictly from 1: this one must %s", want)
		}
		if err := ms[i].Reward.validate(field + ".reward"); err != nil {
			return err
		}
	}
	return nil
}
