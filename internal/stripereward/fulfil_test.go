package stripereward

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for key, want := range map[string]string{
		"sk_test_51HqLyjWDarjtT1zdp7dc": "sk_test_…p7dc",
		"rk_live_abcdefgh1234":          "rk_live_…1234",
	} {
		if CheckFormat(key) != nil {
			t.Errorf("%s refused", key)
		}
		if got := Mask(key); got != want {
			t.Errorf("Mask(%s) = %s", key, got)
		}
	}
	for _, key := range []string{"", "pk_test_abcdefgh1234", "sk_test_short", "sk_test_abcd efgh1234", "whsec_abcdefgh1234", "sk_prod_abcdefgh1234"} {
		if CheckFormat(key) == nil {
			t.Errorf("%q accepted", key)
		}
	}
}

// FuzzMask: every key CheckFormat accepts masks without panicking, to its
// prefix and last four characters only.
func FuzzMask(f *testing.F) {
	for _, seed := range []string{"sk_test_abcdefgh1234", "rk_live_ABCDEFGH", "sk_test_", "sk_live_0000000000000000000000000000"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if CheckFormat(key) != nil {
			return
		}
		m := Mask(key)
		if !strings.HasPrefix(m, key[:8]+"…") || !strings.HasSuffix(m, key[len(key)-4:]) || len(m) != 8+len("…")+4 {
			t.Fatalf("Mask(%q) = %q", key, m)
		}
	})
}
