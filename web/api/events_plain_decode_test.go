package api

import (
	"reflect"
	"testing"

	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// The usual body, as SDKs and make bench send it, is read by the plain
// path, not left to encoding/json; its copies outlive the body.
func TestPlainBatchReadsTheUsualBody(t *testing.T) {
	body := []byte(`{"events":[{"participant":"u1","name":"signup_complete","idempotency_key":"0a1b"},{"name":"page_view","participant":"u2"}]}`)
	events, ok := decodePlainBatch(body)
	if !ok || len(events) != 2 {
		t.Fatalf("plain path: ok %v, %d events", ok, len(events))
	}
	for i := range body {
		body[i] = 'x'
	}
	got := []string{*events[0].Participant, *events[0].Name, *events[0].IdempotencyKey, *events[1].Participant, *events[1].Name}
	want := []string{"u1", "signup_complete", "0a1b", "u2", "page_view"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: %q, want %q", i, got[i], want[i])
		}
	}
	if events[1].IdempotencyKey != nil {
		t.Errorf("absent key read as %q", *events[1].IdempotencyKey)
	}
	for _, other := range []string{
		`{"events":[{"participant":"u1","name":"a","properties":{}}]}`,
		`{"events":[{"participant":"u\u0031","name":"a"}]}`,
		`{"events":[{"Participant":"u1","name":"a"}]}`,
	} {
		if _, ok := decodePlainBatch([]byte(other)); ok {
			t.Errorf("%s: read by the plain path, which leaves it to encoding/json", other)
		}
	}
}

// What the plain path reads from a single event's body, encoding/json
// reads the same; the rest it leaves to encoding/json.
func FuzzDecodePlainEvent(f *testing.F) {
	for _, seed := range []string{
		`{"participant":"u1","name":"signup_complete","idempotency_key":"k1"}`, ` { "name" : "a" } `, `{}`, `{"name":"a",}`,
		`{"name":"a","name":"b"}`, `{"NAME":"a"}`, `{"name":"\u0061"}`, `{"name":null}`, `{"name":"a"} {}`, `[]`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := decodePlainEvent(body)
		if !ok {
			return
		}
		var want eventRequest
		if err := jsonbody.Decode(body, &want); err != nil {
			t.Fatalf("%q: read plainly, refused by encoding/json: %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: read plainly as %+v, by encoding/json as %+v", body, got, want)
		}
	})
}
