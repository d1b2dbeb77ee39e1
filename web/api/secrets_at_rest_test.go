package api

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"testing"
)

// Every secret the API hands out, asked for with an Idempotency-Key, is
// kept nowhere in clear: not in api_idempotency.response_body (a stored
// answer), nor in any other column of any table. An endpoint that answers
// with a secret shown once refuses the key (422 idempotency_key_unsupported)
// and mints it without one; the Stripe key a tenant connects (a PUT, which
// is never replayed) is stored sealed. Each secret is looked for, as the
// schema's owner, in every text, bytea, json and array column.
func TestSecretsNeverLandInClear(t *testing.T) {
	a := newAPITenant(t)
	publishManualCampaign(t, a, "spring")
	hook := mustCall(t, a, "POST", "/v1/webhook-endpoints", map[string]any{"url": "https://93.184.216.34/hook", "events": []string{"*"}},
		http.StatusCreated)
	hookID, _ := hook.JSON["id"].(string)
	stripeKey := "sk_test_" + rand.Text()

	for _, c := range []struct {
		name, method, path string
		body               any
		field              string // the secret in the answer
		refusesKey         bool
	}{
		{"widget token", "POST", "/v1/widget/tokens", map[string]any{"participant": "host-1", "campaign": "spring"}, "token", true},
		{"webhook endpoint", "POST", "/v1/webhook-endpoints",
			map[string]any{"url": "https://93.184.216.34/other", "events": []string{"*"}}, "secret", true},
		{"webhook secret rotation", "POST", "/v1/webhook-endpoints/" + hookID + "/rotate-secret", nil, "secret", true},
		{"Stripe key", "PUT", "/v1/integrations/stripe", map[string]any{"api_key": stripeKey}, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := a.call(t, c.method, c.path, c.body, "Idempotency-Key", "secret-"+rand.Text())
			switch {
			case c.refusesKey && r.Status == http.StatusUnprocessableEntity && r.ErrorCode() == "idempotency_key_unsupported":
				r = a.call(t, c.method, c.path, c.body)
			case c.refusesKey: // the scan below says where this answer went
				t.Errorf("with an Idempotency-Key: %d %s, want 422 idempotency_key_unsupported", r.Status, r.Body)
			}
			if r.Status >= 300 {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			secret := stripeKey
			if c.field != "" {
				secret, _ = r.JSON[c.field].(string)
			}
			if len(secret) < 16 {
				t.Fatalf("no secret in the answer: %s", r.Body)
			}
			for _, at := range columnsHolding(t, secret) {
				t.Errorf("the %s is stored in clear in %s", c.name, at)
			}
		})
	}
	// The search finds what is there: the endpoint's URL, in clear.
	if at := columnsHolding(t, "93.184.216.34/other"); len(at) == 0 {
		t.Error("the search found nothing")
	}
}

// columnsHolding returns the columns, of every table of the database, in
// which some row holds s: as text (text, varchar, json, jsonb, arrays…) or
// as bytes (bytea).
func columnsHolding(t *testing.T, s string) []string {
	t.Helper()
	rows, err := env.Owner.Raw(`SELECT format('%I.%I', c.table_schema, c.table_name), format('%I', c.column_name), c.data_type
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
		  AND c.data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'ARRAY')`).Rows()
	if err != nil {
		t.Fatal(err)
	}
	type column struct{ table, name, typ string }
	var columns []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.table, &c.name, &c.typ); err != nil {
			t.Fatal(err)
		}
		columns = append(columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, c := range columns {
		match := fmt.Sprintf("strpos(%s::text, ?) > 0", c.name)
		if c.typ == "bytea" {
			match = fmt.Sprintf("position(convert_to(?, 'UTF8') IN %s) > 0", c.name)
		}
		var n int
		if err := env.Owner.Raw(fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", c.table, match), s).Scan(&n).Error; err != nil {
			t.Fatalf("%s.%s: %v", c.table, c.name, err)
		}
		if n > 0 {
			found = append(found, c.table+"."+c.name)
		}
	}
	return found
}
