package invite

import "testing"

func TestWithRef(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"https://shop.example/join", "https://shop.example/join?ref=ABCD2345"},
		{"https://shop.example/join?b=2&a=1", "https://shop.example/join?b=2&a=1&ref=ABCD2345"},
		{"https://shop.example/join?ref=OLD&x=%20y", "https://shop.example/join?x=%20y&ref=ABCD2345"},
		{"https://shop.example/join?x=1#top", "https://shop.example/join?x=1&ref=ABCD2345#top"},
	} {
		if got := withRef(tc.in, "ABCD2345"); got != tc.want {
			t.Errorf("withRef(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
