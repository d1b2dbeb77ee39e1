package models_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The schema's rules for event names and external ids (00003, 00004), which
// ValidateEvent checks by hand.
var (
	schemaEventName  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	schemaExternalID = regexp.MustCompile(`^[[:graph:]]{1,128}$`)
)

// ValidateEvent accepts exactly the participants and names the schema's
// expressions accept (Go's [[:graph:]] is ASCII), so a bad one is a 422
// from Go and a good one is never refused.
func FuzzValidateEventNameAndParticipant(f *testing.F) {
	for _, seed := range []string{"signup_complete", "a", "A", "1abc", "page-view", "user_42", "user 42", "", "é",
		"x\x00", "~!", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk", "a\x7f"} {
		f.Add(seed)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, in string) {
		err := models.ValidateEvent("", models.EventInput{Participant: "bob", Name: in}, now)
		if (err == nil) != schemaEventName.MatchString(in) {
			t.Errorf("name %q: ValidateEvent says %v, the schema's expression %v", in, err, schemaEventName.MatchString(in))
		}
		err = models.ValidateEvent("", models.EventInput{Participant: in, Name: "page_view"}, now)
		if (err == nil) != schemaExternalID.MatchString(in) {
			t.Errorf("participant %q: ValidateEvent says %v, the schema's expression %v", in, err, schemaExternalID.MatchString(in))
		}
	})
}
