package openapi

import (
	"encoding/json"
	"testing"
)

func TestForServer(t *testing.T) {
	raw := []byte(`{
  "openapi": "3.1.0",
  "info": {"title": "T", "contact": {"url": "http://localhost:8080/docs/api"}, "description": "see http://localhost:8080/x"},
  "servers": [{"url": "http://localhost:8080", "description": "This server."}],
  "paths": {"/v1/x": {"get": {"description": "http://localhost:8080 stays here"}}}
}`)
	got, err := ForServer(raw, "https://referrals.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "openapi": "3.1.0",
  "info": {"title": "T", "contact": {"url": "https://referrals.example.com/docs/api"}, "description": "see http://localhost:8080/x"},
  "servers": [{"url": "https://referrals.example.com", "description": "This server."}],
  "paths": {"/v1/x": {"get": {"description": "http://localhost:8080 stays here"}}}
}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if !json.Valid(got) {
		t.Error("not JSON")
	}
	if _, err := ForServer([]byte(`{"servers": []}`), "https://x.example"); err == nil {
		t.Error("a document without a server is served")
	}
}
