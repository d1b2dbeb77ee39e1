package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ForServer returns the committed document raw as the server at publicURL
// serves it. The committed document names the server a developer runs
// locally (its first servers entry); every URL in servers and info that
// starts with that one (the contact's, the license's) is made to start
// with publicURL instead, so that a code generator or a linter reading the
// served document gets the absolute URLs of the server it came from. The
// rest is the committed file byte for byte, key order and all.
func ForServer(raw []byte, publicURL string) ([]byte, error) {
	var top struct {
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("openapi: read servers: %w", err)
	}
	if len(top.Servers) == 0 || top.Servers[0].URL == "" {
		return nil, errors.New("openapi: the document names no server")
	}
	publicURL = strings.TrimSuffix(publicURL, "/")
	from, err := json.Marshal(top.Servers[0].URL)
	if err != nil {
		return nil, err
	}
	to, err := json.Marshal(publicURL)
	if err != nil {
		return nil, err
	}
	// Both without their closing quote: a prefix of a string's text.
	from, to = from[:len(from)-1], to[:len(to)-1]

	out := bytes.Clone(raw)
	spans, err := topLevelSpans(raw, "servers", "info")
	if err != nil {
		return nil, err
	}
	// Last span first, so that earlier offsets stay right.
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		value := bytes.ReplaceAll(out[s[0]:s[1]], from, to)
		out = append(out[:s[0]:s[0]], append(value, out[s[1]:]...)...)
	}
	return out, nil
}

// served returns the document raw as the server at publicURL serves it
// (ForServer), made once; without a public URL (some tests), as committed.
func served(raw []byte, publicURL string) func() ([]byte, error) {
	return sync.OnceValues(func() ([]byte, error) {
		if publicURL == "" {
			return raw, nil
		}
		return ForServer(raw, publicURL)
	})
}

// topLevelSpans returns the byte ranges of the values of the named
// top-level keys, in document order.
func topLevelSpans(raw []byte, keys ...string) ([][2]int, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("openapi: the document is not a JSON object")
	}
	var spans [][2]int
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("openapi: read a key: %w", err)
		}
		start := int(dec.InputOffset())
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("openapi: read %v: %w", tok, err)
		}
		for _, k := range keys {
			if tok == k {
				spans = append(spans, [2]int{start, int(dec.InputOffset())})
			}
		}
	}
	return spans, nil
}
