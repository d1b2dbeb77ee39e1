package api

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// aReadEverything is every GET A can make on its data, by path.
func (f *isoFixture) aReadEverything(t *testing.T) map[string]string {
	t.Helper()
	paths := []string{"/v1/event-definitions", "/v1/campaigns?limit=100", "/v1/raffles/" + f.aRaffle,
		"/v1/webhook-endpoints", "/v1/webhook-endpoints/" + f.aEndpoint + "/deliveries", "/v1/integrations/stripe",
		"/v1/campaigns/alpha-manual/preview-publish", "/v1/campaigns/shared/preview-publish"}
	for slug := range f.aCampaign {
		paths = append(paths, "/v1/campaigns/"+slug)
	}
	for ext := range f.aPar {
		paths = append(paths, "/v1/participants/"+ext, "/v1/participants/"+ext+"/invitations?limit=100", "/v1/participants/"+ext+"/rewards?limit=100")
	}
	out := map[string]string{}
	for _, path := range paths {
		out[path] = string(isoDo(t, f.a, "GET", path, nil, 200).Body)
	}
	return out
}

var (
	isoIDPattern   = regexp.MustCompile(`\b(?:cmp|par|inv|rwd|rfl|evt|key|mem|minv|whe|whd|msg)_[0-9a-f]{32}\b`)
	isoCodePattern = regexp.MustCompile(`"code":"([2-9A-HJ-NP-Z]{8})"|/i/([2-9A-HJ-NP-Z]{8})`)
	isoSeedPattern = regexp.MustCompile(`"seed":"([0-9a-f]{64})"`)
)

// collectMarkers gathers what B must never see: every id and code in
// everything A can read, A's tenant and keys, and the names and values
// only A uses (B has its own "shared" and "alice", so those are not
// markers; their ids are).
func (f *isoFixture) collectMarkers(t *testing.T) {
	f.markers = map[string]string{}
	add := func(value, what string) {
		if value != "" {
			f.markers[value] = what
		}
	}
	for _, body := range f.aReadEverything(t) {
		for _, id := range isoIDPattern.FindAllString(body, -1) {
			add(id, "A's id")
		}
		for _, m := range isoCodePattern.FindAllStringSubmatch(body, -1) {
			add(m[1]+m[2], "A's code")
		}
		for _, m := range isoSeedPattern.FindAllStringSubmatch(body, -1) {
			add(m[1], "A's raffle seed")
		}
	}
	c := f.a.created
	add(c.TenantID.String(), "A's tenant id")
	add(c.Slug, "A's tenant slug")
	add(c.OwnerID, "A's owner")
	add(c.SecretKey, "A's secret key")
	add(c.PublishableKey, "A's publishable key")
	var keyIDs []string
	if err := env.Owner.Raw(`SELECT id FROM api_keys WHERE tenant_id = ?`, c.TenantID).Scan(&keyIDs).Error; err != nil || len(keyIDs) != 2 {
		t.Fatalf("A's key ids: %v %v", keyIDs, err)
	}
	for _, id := range keyIDs {
		add(id, "A's API key id")
	}
	for _, name := range []string{"Isolation Alpha", "alpha-manual", "alpha-friends", "alpha-paused", "alpha_only_step", "alpha_extra",
		"Alpha:", "Alpha Manual Programme", "Alpha Friends Raffle", "Alpha Paused Promo", "Alpha Shared Circle", "alpha.example",
		"Anna Alpha", "Alice of Alpha", "+15550001111", "Alpha $", isoInviteKey, isoReferrerKey, "alpha-hook", "Alpha CRM",
		isoStripeKey, isoStripeKeyHint} {
		add(name, "A's name or value")
	}
	for ext := range f.aPar {
		if ext != "alice" {
			add(ext, "A's external id")
		}
	}
	for key, id := range f.aEvent {
		add(key, "A's idempotency key")
		add(id, "A's event id")
	}
	for _, id := range []string{f.aPendingInv, f.aClaimedInv, f.aIssued, f.aRedeemed, f.aVoided, f.aTicket, f.aAliceTkt, f.aRaffle, f.aErinCode, f.aAliceCode, f.aEndpoint, f.aDelivery} {
		if f.markers[id] == "" {
			t.Fatalf("%s is not among A's readable identifiers", id)
		}
	}
}

// scan fails if the response holds any of A's markers but the allowed.
func (f *isoFixture) scan(t *testing.T, r apiResponse, allowed []string) {
	t.Helper()
	var text strings.Builder
	text.Write(r.Body)
	for name, values := range r.Header {
		fmt.Fprintf(&text, "\n%s: %s", name, strings.Join(values, ", "))
	}
	for marker, what := range f.markers {
		if strings.Contains(text.String(), marker) && !slices.Contains(allowed, marker) {
			t.Errorf("the response holds %s %q\n%s", what, marker, text.String())
		}
	}
}

// isoTenantTables is every table with a tenant_id column.
func isoTenantTables(t *testing.T) []string {
	t.Helper()
	var tables []string
	err := env.Owner.Raw(`
		SELECT c.table_name FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
		ORDER BY 1`).Scan(&tables).Error
	if err != nil || len(tables) < 10 {
		t.Fatalf("tenant tables: %v %v", tables, err)
	}
	return tables
}

// isoSnapshot is, per table, a tenant's row count and a digest of its rows,
// read as the superuser (no row-level security).
func isoSnapshot(t *testing.T, tables []string, tenant any) map[string]string {
	t.Helper()
	parts := []string{`SELECT 'tenants' AS tbl, count(*) AS n, coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') AS digest FROM tenants r WHERE r.id = @tenant`}
	for _, table := range tables {
		parts = append(parts, fmt.Sprintf(`SELECT '%s', count(*), coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM %s r WHERE r.tenant_id = @tenant`,
			table, pgx.Identifier{table}.Sanitize()))
	}
	var rows []struct {
		Tbl    string
		N      int64
		Digest string
	}
	if err := env.Owner.Raw(strings.Join(parts, " UNION ALL "), map[string]any{"tenant": tenant}).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, row := range rows {
		out[row.Tbl] = fmt.Sprintf("%d %s", row.N, row.Digest)
	}
	return out
}

func isoCompare(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for table, b := range before {
		if a := after[table]; a != b {
			t.Errorf("%s changed in %s: %s rows before, %s after", what, table, strings.Fields(b)[0], strings.Fields(a)[0])
		}
	}
}

// isoHas checks the value at a JSON path (nil: present and null).
func isoHas(path string, want any) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		got, ok := jsonPath(map[string]any(r.JSON), path)
		if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v (found: %v), want %v\n%s", path, got, ok, want, r.Body)
		}
	}
}

// isoDiffers checks that a JSON path holds a value other than A's: B got a
// row of its own.
func isoDiffers(path, aValue string) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		got, ok := jsonPath(map[string]any(r.JSON), path)
		if !ok || got == nil || fmt.Sprint(got) == aValue {
			t.Errorf("%s = %v (found: %v), want B's own, not A's %s\n%s", path, got, ok, aValue, r.Body)
		}
	}
}

// isoLacksPath checks that nothing is at a JSON path.
func isoLacksPath(path string) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		if got, ok := jsonPath(map[string]any(r.JSON), path); ok {
			t.Errorf("%s = %v, want nothing\n%s", path, got, r.Body)
		}
	}
}

// isoListIDs checks that a list holds exactly these ids.
func isoListIDs(want ...string) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		data, ok := r.JSON["data"].([]any)
		if !ok {
			t.Fatalf("not a list: %s", r.Body)
		}
		got := []string{}
		for _, item := range data {
			obj, _ := item.(map[string]any)
			got = append(got, fmt.Sprint(obj["id"]))
		}
		want = append([]string{}, want...)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("list ids %v, want %v\n%s", got, want, r.Body)
		}
	}
}

// isoNotReplayed checks that the response is not a stored idempotent one.
func isoNotReplayed() isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		if h := r.Header.Get("Idempotent-Replayed"); h != "" {
			t.Errorf("Idempotent-Replayed: %s, a replay of another tenant's request\n%s", h, r.Body)
		}
	}
}

// isoSQL checks one value read as the superuser.
func isoSQL(what, query, want string, args ...any) isoCheck {
	return func(t *testing.T, _ apiResponse) {
		t.Helper()
		var got string
		if err := env.Owner.Raw(query, args...).Row().Scan(&got); err != nil || got != want {
			t.Errorf("%s: %q (%v), want %q", what, got, err, want)
		}
	}
}
