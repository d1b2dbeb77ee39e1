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

// effectsJSONOnce is effectsJSON encoding each distinct slice once: the
// events of a batch that answered the same effects share one slice
// (models.ReadIngestResults), and so one encoding.
func effectsJSONOnce(effects []models.EventEffect, encoded map[*models.EventEffect]json.RawMessage) (json.RawMessage, error) {
	if len(effects) == 0 {
		return effectsJSON(effects)
	}
	if b, ok := encoded[&effects[0]]; ok {
		return b, nil
	}
	b, err := effectsJSON(effects)
	if err == nil {
		encoded[&effects[0]] = b
	}
	return b, err
}
