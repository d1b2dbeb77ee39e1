package surface

import (
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestEveryKindHasAStatus: the array's length makes every kind a slot, but
// a kind added without its line would answer with status 0; each kind is
// a client's error, a 4xx.
func TestEveryKindHasAStatus(t *testing.T) {
	for k := range models.KindCount {
		if s := Status(k); s < 400 || s > 499 {
			t.Errorf("kind %d answers %d, want a 4xx", k, s)
		}
	}
}
