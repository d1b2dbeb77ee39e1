package surface

import "testing"

func TestSentence(t *testing.T) {
	for _, c := range []struct{ message, field, want string }{
		{"no such reward", "", "No such reward."},
		{"The body is not valid JSON.", "", "The body is not valid JSON."},
		{"limit is a whole number from 1 to 100.", "limit", "limit is a whole number from 1 to 100."},
		{"starting_after is an id from a previous page", "starting_after", "starting_after is an id from a previous page."},
		{`"x" is not an origin`, "allowed_origins", `"x" is not an origin.`},
		{`no event definition is named "a": did you mean "b"?`, "name", `No event definition is named "a": did you mean "b"?`},
		{"campaign's mode", "", "Campaign's mode."},
		{"", "", ""},
	} {
		if got := Sentence(c.message, c.field); got != c.want {
			t.Errorf("Sentence(%q, %q) = %q, want %q", c.message, c.field, got, c.want)
		}
	}
}
