package api

import (
	"encoding/json"
	"fmt"

	"github.com/tandemhq/tandem/models"
)

// notAStepJSON is the encoded effects of most events (page views and the
// like, models.IsNotAStep), made once rather than per event of a batch.
var notAStepJSON = mustEffectsJSON(models.EventEffect{Type: models.EffectNotAStep})

func mustEffectsJSON(e models.EventEffect) json.RawMessage {
	e.Message = e.Describe("")
	b, err := json.Marshal([]models.EventEffect{e})
	if err != nil {
		panic(err)
	}
	return b
}

// effectsJSON encodes an event's effects for its answer; none (an event
// not stored) is nothing.
func effectsJSON(effects []models.EventEffect) (json.RawMessage, error) {
	if effects == nil {
		return nil, nil
	}
	if models.IsNotAStep(effects) {
		return notAStepJSON, nil
	}
	b, err := json.Marshal(effects)
	if err != nil {
		return nil, fmt.Errorf("api: encode event effects: %w", err)
	}
	return b, nil
}
