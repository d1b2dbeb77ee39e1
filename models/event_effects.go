package models

import (
	"context"
	"encoding/json"
	"fmt"
)

// Kinds of EventEffect: what one event did, judged by event_effects in the
// schema from the rows ingestion writes anyway.
const (
	// EffectDuplicate: the event was stored before under the same
	// idempotency key, and this send changed nothing.
	EffectDuplicate = "duplicate"
	// EffectClaimed: the referee's record of a claim (invitation_claimed).
	EffectClaimed = "claimed"
	// EffectNotAStep: the name is a step of no quest the participant is in.
	EffectNotAStep = "not_a_step"
	// EffectNoInvitation: the participant was never referred as a guest.
	EffectNoInvitation = "no_invitation"
	// EffectRepeated: the participant sent the step's name before; the
	// earlier event did whatever it did, this one nothing.
	EffectRepeated = "repeated"
	// EffectAdvanced: the event did its step, every earlier step done.
	EffectAdvanced = "advanced"
	// EffectEarly: the event did its step before an earlier one; it
	// counts when that one is done.
	EffectEarly = "early"
	// EffectCompleted: the event did the last missing step.
	EffectCompleted = "completed"
)

// EventEffect is one thing an event did, or the reason it did nothing.
// The invitation effects (advanced, early, completed) name the invitation,
// its campaign's slug and the step, as the position of the step among the
// steps of the version the invitation is pinned to. A repeat names only
// the step's event name: ingestion answers it without reading the
// invitations, which doubled the cost of a batch of repeated steps.
type EventEffect struct {
	Type       string `json:"type"`
	Invitation string `json:"invitation,omitempty"`
	Campaign   string `json:"campaign,omitempty"`
	Step       int    `json:"step,omitempty"`
	Steps      int    `json:"steps,omitempty"`
	StepName   string `json:"step_name,omitempty"`
	// Message says it in a sentence, the step named by its event name.
	Message string `json:"message"`
}

// Describe says what the effect did in a sentence, naming the step by
// step (an event label where a person reads it, the event's name for a
// developer).
func (e EventEffect) Describe(step string) string {
	switch e.Type {
	case EffectDuplicate:
		return "Duplicate: stored before under the same idempotency key; nothing changed."
	case EffectClaimed:
		return fmt.Sprintf("Claimed invitation %s.", e.Invitation)
	case EffectNotAStep:
		return "Moved no quest: the event is not a step of any quest this participant is in."
	case EffectNoInvitation:
		return "No open invitation: this participant was never referred as a guest, so no quest moved."
	case EffectRepeated:
		return fmt.Sprintf("Repeated: this participant sent %s before, so it moved no quest.", step)
	case EffectAdvanced:
		return fmt.Sprintf("Advanced step %d of %d (%s) for invitation %s.", e.Step, e.Steps, step, e.Invitation)
	case EffectEarly:
		return fmt.Sprintf("Did step %d of %d (%s) for invitation %s ahead of an earlier step: it counts once the earlier steps are done.",
			e.Step, e.Steps, step, e.Invitation)
	case EffectCompleted:
		return fmt.Sprintf("Completed invitation %s: step %d of %d (%s) was the last one missing.", e.Invitation, e.Step, e.Steps, step)
	}
	return "Unknown effect " + e.Type + "."
}

// notAStep and duplicate are the effects of most events, shared rather
// than made per event: callers must not change them.
var (
	notAStep  = []EventEffect{{Type: EffectNotAStep, Message: EventEffect{Type: EffectNotAStep}.Describe("")}}
	duplicate = []EventEffect{{Type: EffectDuplicate, Message: EventEffect{Type: EffectDuplicate}.Describe("")}}
)

// IsNotAStep reports whether effects are exactly "moved no quest", the
// effects of most events, which a caller may answer from a cache.
func IsNotAStep(effects []EventEffect) bool {
	return len(effects) == 1 && effects[0].Type == EffectNotAStep
}

// decodeEffects reads event_effects' JSON array and words each effect.
func decodeEffects(raw []byte) ([]EventEffect, error) {
	var effects []EventEffect
	if err := json.Unmarshal(raw, &effects); err != nil {
		return nil, fmt.Errorf("decode effects: %w", err)
	}
	for i := range effects {
		effects[i].Message = effects[i].Describe(effects[i].StepName)
	}
	return effects, nil
}

// ingestedEffects are an ingested event's effects: what ingest_events
// answered for a stored event of a step name, "moved no quest" for any
// other stored one (it answers NULL for those, without a read), and
// "duplicate" for a repeat of its idempotency key.
func ingestedEffects(status string, raw []byte) ([]EventEffect, error) {
	switch {
	case status == EventDuplicate:
		return duplicate, nil
	case status != EventCreated:
		return nil, nil
	case raw == nil:
		return notAStep, nil
	}
	return decodeEffects(raw)
}

// EventEffects returns what each of the stored events ids did, judged now
// from the rows as they are (event_effects in the schema), by id.
func EventEffects(ctx context.Context, ids []string) (map[string][]EventEffect, error) {
	out := make(map[string][]EventEffect, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		EventID string
		Effects []byte
	}
	if err := tx.Raw(`SELECT event_id, effects FROM event_effects(?, ?)`, tenantOf(ctx), array(ids)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("event effects: %w", err)
	}
	for _, r := range rows {
		effects, err := decodeEffects(r.Effects)
		if err != nil {
			return nil, fmt.Errorf("event effects of %s: %w", r.EventID, err)
		}
		out[r.EventID] = effects
	}
	return out, nil
}
