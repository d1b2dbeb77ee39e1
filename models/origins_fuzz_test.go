package models_test

import (
	"regexp"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// schemaOrigin is the schema's widget_origins_valid rule for one origin.
var schemaOrigin = regexp.MustCompile(`^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$`)

// Whatever NormalizeOrigins accepts, the schema accepts too: a bad origin
// is a 422 from Go, never a constraint error from the database.
func FuzzNormalizeOrigins(f *testing.F) {
	for _, seed := range []string{"https://shop.example", "HTTP://LOCALHOST:3000/", "https://a.example:443", "https://x/y",
		"https://[::1]:80", "javascript:alert(1)", "https://a..b", "http://-a.example", "https://é.example", " https://a.b "} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := models.NormalizeOrigins("allowed_origins", []string{in})
		if err != nil {
			return
		}
		for _, o := range out {
			if !schemaOrigin.MatchString(o) {
				t.Errorf("%q normalized to %q, which the schema refuses", in, o)
			}
		}
	})
}
