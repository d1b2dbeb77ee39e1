package api

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// GET /v1/participants: newest first, paged by cursor, filtered by exact
// external id, e-mail ignoring case and creation time; bad filters are
// refused naming their parameter.
func TestListParticipants(t *testing.T) {
	a := newAPITenant(t)
	var ids []string // oldest first
	for _, p := range []map[string]any{
		{"external_id": "ann", "email": "Ann@Example.com"},
		{"external_id": "ann-2", "email": "ann@example.org"},
		{"external_id": "bo"},
	} {
		ids = append(ids, mustCall(t, a, "POST", "/v1/participants", p, http.StatusCreated).JSON["id"].(string))
	}
	list := func(path string) []string { t.Helper(); return listAt(t, a, path) }
	same := func(what string, got []string, want ...string) { t.Helper(); sameIDs(t, what, got, want...) }
	same("all, newest first", list("/v1/participants"), ids[2], ids[1], ids[0])
	same("an exact external id, not a prefix", list("/v1/participants?external_id=ann"), ids[0])
	same("an unknown external id", list("/v1/participants?external_id=nobody"))
	same("an e-mail in another case", list("/v1/participants?email="+url.QueryEscape("ANN@example.COM")), ids[0])
	same("created after the future", list("/v1/participants?created_after="+url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339Nano))))
	page1 := mustCall(t, a, "GET", "/v1/participants?limit=2", nil, http.StatusOK)
	if page1.JSON["object"] != "list" || page1.JSON["has_more"] != true {
		t.Errorf("the first of two pages: %s", page1.Body)
	}
	same("the second page", list("/v1/participants?limit=2&starting_after="+listIDs(page1)[1]), ids[0])

	wantError(t, "a bad external id", a.call(t, "GET", "/v1/participants?external_id=a%20b", nil), http.StatusUnprocessableEntity, "invalid_external_id", "external_id")
	wantError(t, "a bad e-mail", a.call(t, "GET", "/v1/participants?email=ann", nil), http.StatusUnprocessableEntity, "invalid_email", "email")
	wantError(t, "an e-mail that is not text", a.call(t, "GET", "/v1/participants?email=a%FF@b.c", nil), http.StatusUnprocessableEntity, "invalid_email", "email")
	wantError(t, "a bad time", a.call(t, "GET", "/v1/participants?created_after=yesterday", nil), http.StatusUnprocessableEntity, "invalid_timestamp", "created_after")
	wantError(t, "a bad limit", a.call(t, "GET", "/v1/participants?limit=101", nil), http.StatusBadRequest, "invalid_limit", "limit")
	wantError(t, "a bad cursor", a.call(t, "GET", "/v1/participants?starting_after=x", nil), http.StatusBadRequest, "invalid_cursor", "starting_after")
}
