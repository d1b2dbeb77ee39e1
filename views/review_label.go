package views

import (
	"fmt"

	"github.com/tandemhq/tandem/models"
)

// ReviewLabel says in words which of a version's rewards wait for a
// person, for the rules summary and the publish diff.
func ReviewLabel(r models.Rules) string {
	var s string
	switch r.Review {
	case models.ReviewAll:
		s = "every reward is held for review"
	case models.ReviewRisky:
		s = "rewards of referrals with a " + r.ReviewThreshold + " or higher risk signal are held for review"
		if r.ReviewThreshold == models.RiskHigh {
			s = "rewards of referrals with a high risk signal are held for review"
		}
	default:
		return "issued at once, without review"
	}
	if r.BlockHighRisk {
		s += "; claims with a high risk signal are refused"
	}
	return s
}

// VelocityLabel says from which claim a host carries the velocity signal,
// for the rules summary and the publish diff.
func VelocityLabel(r models.Rules) string {
	return fmt.Sprintf("a host's claims beyond %d in %d minutes carry the velocity signal", r.VelocityClaims, r.VelocityWindowMinutes)
}
