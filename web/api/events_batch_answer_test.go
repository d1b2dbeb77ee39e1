package api

import (
	"encoding/json"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// The hand-written batch answer is byte for byte what encoding/json wrote.
func TestBatchAnswerIsEncodingJSONs(t *testing.T) {
	repeated, err := effectsJSON([]models.EventEffect{{Type: models.EffectRepeated, StepName: "a <b> & c"}})
	if err != nil {
		t.Fatal(err)
	}
	results := []batchResult{
		{Index: 0, ID: "evt_01a251ac7807bfe4f67d3a554a76a486", Status: models.EventCreated, Effects: notAStepJSON},
		{Index: 1, ID: "evt_01a251ac7807bfe4f67d3a554a76a487", Status: models.EventCreated, Effects: repeated},
		{Index: 2, ID: "evt_01a251ac7807bfe4f67d3a554a76a400", Status: models.EventDuplicate, Duplicate: true},
		{Index: 3, Status: batchError, Error: &errorDetail{Code: "invalid_name", Message: `"<x>" & "y"`, Field: "events[3].name"}},
		{Index: 4, ID: "evt_\"odd\" <id>\u00e9", Status: models.EventCreated},
		{Index: 5, Status: "ünusual"},
	}
	for n := range len(results) + 1 {
		want, err := json.Marshal(map[string]any{"results": results[:n]})
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendBatchAnswer(nil, results[:n])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%d results:\n got %s\nwant %s", n, got, want)
		}
	}
}

func FuzzBatchAnswer(f *testing.F) {
	f.Add(7, "evt_1", "created", true, []byte(`[{"type":"not_a_step"}]`))
	f.Add(0, "", "error", false, []byte(nil))
	f.Fuzz(func(t *testing.T, index int, id, status string, duplicate bool, effects []byte) {
		if len(effects) > 0 {
			// Effects reach the answer from effectsJSON: json.Marshal's output.
			var v any
			if json.Unmarshal(effects, &v) != nil {
				return
			}
			if effects, _ = json.Marshal(v); len(effects) == 0 {
				return
			}
		}
		results := []batchResult{{Index: index, ID: id, Status: status, Duplicate: duplicate, Effects: effects}}
		want, err := json.Marshal(map[string]any{"results": results})
		if err != nil {
			return // encoding/json refuses it too: no answer is made of it
		}
		got, err := appendBatchAnswer(nil, results)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("\n got %s\nwant %s", got, want)
		}
	})
}
