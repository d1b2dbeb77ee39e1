package reference

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

// The files must stay copies of ../shared/bench/: sha256sum of each there.
var sums = map[string]string{
	"README.md":            "a7bdf889c5f1f8b2d6a9934bd747ee7921601f72027a582d45cb2ca61299dcec",
	"reference-batch.sql":  "9de7b22fe7ca810ef40132e3808e93017ccbf7fb37b9d681aece7e61873f1a3c",
	"reference-event.sql":  "490defaa3f47bfa30f419642a7a8273900427b9d2656ec7ae098657907bc7ec1",
	"reference-schema.sql": "874f35e719f57fa30b9e60f03a33c7152fe40bb3188f95b5822f07ac28867977",
}

func TestFilesAreTheSharedReference(t *testing.T) {
	for name, want := range sums {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s (the copy of ../shared/bench/%s was edited)", name, got, want, name)
		}
	}
	if len(Schema) == 0 || len(Event) == 0 || len(Batch) == 0 {
		t.Fatal("an embedded script is empty")
	}
}
