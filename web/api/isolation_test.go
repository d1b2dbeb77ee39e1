package api

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// The isolation suite aims tenant B's secret key at tenant A's data on every
// /v1 route: A's campaign slugs and ids, participants' external and
// internal ids, invitation ids and codes, referrer codes, reward ids, the
// raffle id and A's idempotency keys. Whatever names an A resource gets a
// 404 with a *_not_found code (never 403, which would confirm that the
// resource exists, and never A's data). Where an A name legitimately names
// something in B's own space (an external id in an event, a slug in a PUT),
// B gets its own row and A is untouched. After every B request A's rows in
// every tenant table are compared, as the superuser, with a digest taken
// before; every B response body is scanned for every identifier A was ever
// given (NotExpectedContent). A route with no case here fails the suite.

// isoPhase orders the cases: first everything that must reach nothing,
// then B's writes under A's names, then B reading those back.
type isoPhase int

const (
	isoProbe   isoPhase = iota // reads and refused writes: nothing of A's, nothing written
	isoWrite                   // B writes its own rows under names A uses too
	isoRecheck                 // B reads back what it wrote under A's names
)

func (p isoPhase) String() string {
	return [...]string{"probe", "write", "recheck"}[p]
}

// isoCheck is an assertion on a response beyond its status and code.
type isoCheck func(t *testing.T, r apiResponse)

// isoCase is one request as tenant B.
type isoCase struct {
	name    string
	phase   isoPhase
	method  string
	path    string
	body    any
	headers []string
	status  int
	code    string   // the error code; "" for a success
	allowed []string // A's names this response may hold: B's own rows carry them too
	checks  []isoCheck
}

func (c isoCase) with(headers ...string) isoCase  { c.headers = headers; return c }
func (c isoCase) allow(names ...string) isoCase   { c.allowed = names; return c }
func (c isoCase) then(checks ...isoCheck) isoCase { c.checks = checks; return c }

// notFound is a request naming an A resource: 404 with code.
func notFound(name, method, path string, body any, code string) isoCase {
	return isoCase{name: name, phase: isoProbe, method: method, path: path, body: body, status: http.StatusNotFound, code: code}
}

// isoStep is a request that must answer status (and code, for an error).
func isoStep(phase isoPhase, name, method, path string, body any, status int, code string) isoCase {
	return isoCase{name: name, phase: phase, method: method, path: path, body: body, status: status, code: code}
}

// isoFixture is both tenants' data, created through the API.
type isoFixture struct {
	a, b *apiTenant

	// Tenant A.
	aCampaign    map[string]string // slug → id: alpha-manual, alpha-friends, alpha-paused, shared
	aPar         map[string]string // external id → internal id, for every A participant
	aEvent       map[string]string // idempotency key → event id
	aPendingInv  string            // a pending manual invitation, made with an Idempotency-Key
	aPendingCode string
	aClaimedInv  string // a claimed and completed manual invitation
	aClaimedCode string
	aCarolCode   string // a claimed invitation whose quest is half done
	aErinCode    string // a referrer code in alpha-friends
	aAliceCode   string // alice's referrer code in shared, made with an Idempotency-Key
	aIssued      string // anna's cash milestone, issued
	aRedeemed    string // bob's guest credit, redeemed
	aVoided      string // dora's guest credit, voided
	aTicket      string // ivy's raffle ticket, issued after the draw
	aAliceTkt    string // alice's ticket in shared, issued
	aRaffle      string
	aEndpoint    string // A's webhook endpoint, with a test message's delivery
	aDelivery    string
	markers      map[string]string // every A identifier and private value → what it is

	// Tenant B: the same slug "shared" and external id "alice" as A.
	bCampaign map[string]string // slug → id: shared, beta-manual
	bPar      map[string]string // alice, b-zed
	bInv      string            // alice's pending invitation in beta-manual
	bCode     string
}

// isoTarget is an identifier of A's and how a case names it.
type isoTarget struct{ label, value string }

// named is an identifier that is its own label (a slug, an external id).
func named(value string) isoTarget { return isoTarget{value, value} }

// notFoundForEach is one 404 case per identifier, in the path's %s.
func notFoundForEach(what, method, pathFormat string, body any, code string, targets ...isoTarget) []isoCase {
	cases := make([]isoCase, len(targets))
	for i, target := range targets {
		cases[i] = notFound(what+" "+target.label, method, fmt.Sprintf(pathFormat, target.value), body, code)
	}
	return cases
}

// TestIsolationCoversEveryV1Route fails when Fiber serves a /v1 route that
// isolationCases has no entry for, or isolationCases names one it does not
// serve.
func TestIsolationCoversEveryV1Route(t *testing.T) {
	served := isoV1Routes(newTestApp(testConfig{DB: env.App}))
	for _, route := range served {
		if isolationCases[route] == nil {
			t.Errorf("%s has no isolation case: add one to isolationCases", route)
		}
	}
	for route := range isolationCases {
		if !slices.Contains(served, route) {
			t.Errorf("isolationCases has %s, which Fiber does not serve", route)
		}
	}
	if len(served) == 0 {
		t.Fatal("no /v1 route found")
	}
}

// isoV1Routes lists the /v1 routes as "METHOD /path", sorted: no HEAD
// twins, no middleware.
func isoV1Routes(app *fiber.App) []string {
	var out []string
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodHead || len(r.Handlers) == 0 || !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		if key := r.Method + " " + r.Path; !slices.Contains(out, key) {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

// TestIsolationTenantBReachesNothingOfTenantA runs every case as B against
// A's full data set.
func TestIsolationTenantBReachesNothingOfTenantA(t *testing.T) {
	app := newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test"})
	// One server for both tenants, as in production: the key alone decides.
	f := &isoFixture{a: newIsoTenant(t, app, "Isolation Alpha"), b: newIsoTenant(t, app, "Isolation Beta")}
	f.setUpA(t)
	f.setUpB(t)
	f.collectMarkers(t)

	type planned struct {
		route string
		isoCase
	}
	var plan []planned
	routes := isoV1Routes(app)
	for _, route := range routes {
		build := isolationCases[route]
		if build == nil {
			t.Errorf("%s has no isolation case", route)
			continue
		}
		method, pattern, _ := strings.Cut(route, " ")
		matches := regexp.MustCompile("^" + regexp.MustCompile(`:[a-z_]+`).ReplaceAllString(regexp.QuoteMeta(pattern), `[^/]+`) + "$")
		cases := build(f)
		if len(cases) == 0 {
			t.Errorf("%s: no cases", route)
		}
		for _, c := range cases {
			path, _, _ := strings.Cut(c.path, "?")
			if c.method != method || !matches.MatchString(path) {
				t.Fatalf("%s: case %q sends %s %s, another route", route, c.name, c.method, c.path)
			}
			plan = append(plan, planned{route, c})
		}
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].phase < plan[j].phase })

	tables := isoTenantTables(t)
	aBefore := isoSnapshot(t, tables, f.a.created.TenantID)
	for _, table := range []string{"event_definitions", "campaigns", "campaign_versions", "participants", "invite_codes", "referrer_codes",
		"invitations", "events", "reward_tokens", "raffle_draws", "raffle_entries", "raffle_winners", "api_idempotency", "api_keys"} {
		if n := aBefore[table]; n == "" || strings.HasPrefix(n, "0 ") {
			t.Fatalf("A's data set is incomplete: no rows in %s", table)
		}
	}
	aAPIBefore := f.aReadEverything(t)

	statuses := map[int]int{}
	notFoundBodies := map[string]string{} // code → the one body of that 404
	for _, p := range plan {
		t.Run(fmt.Sprintf("%s/%s/%s", p.phase, p.route, p.name), func(t *testing.T) {
			var bBefore map[string]string
			if p.phase != isoWrite {
				bBefore = isoSnapshot(t, tables, f.b.created.TenantID)
			}
			r := f.b.call(t, p.method, p.path, p.body, p.headers...)
			statuses[r.Status]++
			if r.Status == http.StatusForbidden {
				t.Errorf("403 tells B that A's resource exists\n%s", r.Body)
			}
			if r.Status != p.status || r.ErrorCode() != p.code {
				t.Errorf("%s %s: got %d %q, want %d %q\n%s", p.method, p.path, r.Status, r.ErrorCode(), p.status, p.code, r.Body)
			}
			f.scan(t, r, p.allowed)
			if r.Status == http.StatusNotFound {
				// One body per code, as for an id that never existed:
				// the answer tells nothing about A.
				if first, seen := notFoundBodies[r.ErrorCode()]; seen && first != string(r.Body) {
					t.Errorf("this 404 differs from another %s:\n%s\n%s", r.ErrorCode(), r.Body, first)
				}
				notFoundBodies[r.ErrorCode()] = string(r.Body)
			}
			for _, check := range p.checks {
				check(t, r)
			}
			isoCompare(t, "A's rows", aBefore, isoSnapshot(t, tables, f.a.created.TenantID))
			if bBefore != nil {
				isoCompare(t, "B's rows (this request writes nothing)", bBefore, isoSnapshot(t, tables, f.b.created.TenantID))
			}
		})
	}

	// As A, through the API, nothing changed either.
	aAPIAfter := f.aReadEverything(t)
	for path, before := range aAPIBefore {
		if after := aAPIAfter[path]; after != before {
			t.Errorf("A's GET %s changed during B's requests:\nbefore %s\nafter  %s", path, before, after)
		}
	}

	// The scan and the digest can see: every body of A's data (not an
	// empty list, not a preview's counts) holds a marker, and A's own
	// change shows in the digest.
	for path, body := range aAPIAfter {
		if strings.Contains(body, `"data":[]`) || strings.HasSuffix(path, "/preview-publish") {
			continue
		}
		if !slices.ContainsFunc(slices.Collect(maps.Keys(f.markers)), func(m string) bool { return strings.Contains(body, m) }) {
			t.Errorf("A's GET %s holds none of the markers: the scan would miss a leak of it", path)
		}
	}
	isoDo(t, f.a, "POST", "/v1/rewards/"+f.aIssued+"/redeem", nil, 200)
	if after := isoSnapshot(t, tables, f.a.created.TenantID); after["reward_tokens"] == aBefore["reward_tokens"] {
		t.Error("the digest of A's reward_tokens missed A's own redeem")
	}
	t.Logf("isolation: %d routes, %d cases as tenant B, %d A identifiers scanned for; statuses %v",
		len(routes), len(plan), len(f.markers), statuses)
}
