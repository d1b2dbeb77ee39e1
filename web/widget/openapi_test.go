package widget

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/web/internal/openapi/openapitest"
)

// The widget's document is held to what the API's is: well-formed
// (openapitest.WellFormed), listing exactly the routes Fiber serves under
// /widget/v1, served with its server's URL, and matched by every answer
// the widget's tests get (doWith checks each one); TestWidgetOpenAPIWalk
// sees every documented success.

func TestWidgetOpenAPIDocumentIsWellFormed(t *testing.T) {
	openapitest.WellFormed(t, openapiJSON)
	for route, op := range docChecker(t).Ops {
		if !strings.HasPrefix(strings.SplitN(route, " ", 2)[1], "/widget/v1/") {
			t.Errorf("%s: every widget path starts with /widget/v1/", route)
		}
		if _, ok := op.Responses.Get("500"); !ok {
			t.Errorf("%s: documents no 500", route)
		}
	}
}

func TestWidgetOpenAPIListsEveryRoute(t *testing.T) {
	var served []string
	for _, route := range newApp(&clock{}).GetRoutes(true) {
		if route.Method != fiber.MethodHead && len(route.Handlers) > 0 && strings.HasPrefix(route.Path, "/widget/v1/") {
			served = append(served, route.Method+" "+route.Path)
		}
	}
	docChecker(t).ListsExactly(t, served)
}

func TestWidgetOpenAPIDocumentIsServed(t *testing.T) {
	w := newWidgetTenant(t, shop)
	r := w.do("GET", "/widget/v1/openapi.json", nil, "", "")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("got %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
		Paths   map[string]any         `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != tandemAt || len(doc.Paths) != len(docChecker(t).Ops)-1 {
		t.Errorf("servers %+v, %d paths", doc.Servers, len(doc.Paths))
	}
	// Public: no token, and a bad one does not matter.
	if r := w.do("GET", "/widget/v1/openapi.json", nil, "wt_nope", ""); r.Status != http.StatusOK {
		t.Errorf("with a bad token: %d", r.Status)
	}
}

// TestWidgetOpenAPIWalk gets every documented success of the widget's
// API, each checked against the document by doWith.
func TestWidgetOpenAPIWalk(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", "invitation", "signup_complete")
	w.publish("friends", "referrer_code", "signup_complete")
	token := w.mint("hana", "spring", time.Hour)
	want(t, "the document", w.do("GET", "/widget/v1/openapi.json", nil, "", ""), http.StatusOK, "")
	want(t, "the offer", w.doWith("GET", "/widget/v1/offer?campaign=spring&key="+w.created.PublishableKey, nil, "Origin", shop), http.StatusOK, "")
	want(t, "the origin check", w.doWith("GET", "/widget/v1/origin?key="+w.created.PublishableKey, nil, "Origin", evil), http.StatusOK, "")
	want(t, "me", w.get("/widget/v1/me", token, shop), http.StatusOK, "")
	want(t, "me with a code", w.get("/widget/v1/me", w.mint("ivan", "friends", time.Hour), shop), http.StatusOK, "")
	inv := w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "email", "recipient": "gina@example.com"}, token, shop)
	want(t, "an invitation", inv, http.StatusCreated, "")
	want(t, "the guests", w.get("/widget/v1/invitations", token, shop), http.StatusOK, "")
	page := w.get("/widget/v1/invitations?limit=1&starting_after="+inv.JSON["id"].(string), token, shop)
	want(t, "the guests after the first", page, http.StatusOK, "")
	if data, _ := page.JSON["data"].([]any); len(data) != 0 || page.JSON["object"] != "list" {
		t.Errorf("after the only guest: %s", page.Body)
	}
	want(t, "the guests after the first, by the deprecated name", w.get("/widget/v1/invitations?after="+inv.JSON["id"].(string), token, shop), http.StatusOK, "")
	want(t, "the rewards", w.get("/widget/v1/rewards", token, shop), http.StatusOK, "")
	bad := w.get("/widget/v1/rewards?starting_after=x", token, shop)
	want(t, "a bad cursor", bad, http.StatusBadRequest, "invalid_cursor")
	if e, _ := bad.JSON["error"].(map[string]any); e["field"] != "starting_after" {
		t.Errorf("the bad cursor's field: %s", bad.Body)
	}
	for _, unseen := range docChecker(t).Unseen() {
		t.Errorf("%s is documented but no test saw it", unseen)
	}
}
