package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

func TestTenantCreateJSON(t *testing.T) {
	var out bytes.Buffer
	args := []string{"create", "--name", "Acme", "--owner-email", "owner@acme.test", "--owner-password", "correct horse battery", "--json"}
	if err := tenantCmd(context.Background(), Config{DatabaseURL: env.OwnerURL}, args, &out); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	dec := json.NewDecoder(&out)
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if dec.More() {
		t.Error("stdout holds more than one JSON object")
	}
	for _, key := range []string{"tenant_id", "slug", "secret_key", "publishable_key"} {
		if s, _ := got[key].(string); s == "" {
			t.Errorf("%s is missing or empty in %v", key, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("want exactly 4 keys, got %v", got)
	}
}

func TestTenantCreateNeedsFlags(t *testing.T) {
	err := tenantCmd(context.Background(), Config{}, []string{"create", "--name", "Acme"}, &bytes.Buffer{})
	if err == nil {
		t.Fatal("tenant create without an owner succeeded")
	}
}
