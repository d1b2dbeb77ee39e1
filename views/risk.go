package views

import (
	"strings"

	"github.com/tandemhq/tandem/models"
)

// riskCodes names signals in words, in order, for a disclosure's summary.
func riskCodes(signals []models.RiskSignal) string {
	names := make([]string, len(signals))
	for i, s := range signals {
		names[i] = opsLabel(s.Code)
	}
	return strings.Join(names, ", ")
}
