package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// TestOpenAPIErrorCodes holds the error codes of the document to the code:
// each code the API layer or models can answer is listed under the
// status it is answered with, and the codes the API answers appear in the
// document at all.
func TestOpenAPIErrorCodes(t *testing.T) {
	doc, ops := openAPIDoc(t)
	listed := map[string]map[int]bool{} // code → statuses it is listed under
	for _, r := range ops {
		for _, e := range r.Op.Responses {
			status, _ := strconv.Atoi(e.Key)
			for _, code := range doc.Response(e.Value).ErrorCodes {
				if listed[code] == nil {
					listed[code] = map[int]bool{}
				}
				listed[code][status] = true
			}
		}
	}
	statusOf := func(code string, status int, mustList bool) {
		t.Helper()
		switch {
		case listed[code] == nil && mustList:
			t.Errorf("the API answers %d %s, which no operation lists", status, code)
		case listed[code] != nil && (len(listed[code]) != 1 || !listed[code][status]):
			t.Errorf("%s is answered with %d, but listed under %v", code, status, listed[code])
		}
	}
	// Domain errors, by the status of their kind.
	notReachable := map[string]bool{
		models.ErrSlugTaken.Code:          true, // tenant sign-up, not the API
		models.ErrInvitationNotFound.Code: true, // no endpoint reads an invitation by id
		// The console's own: team, event catalog, API keys, campaign pages.
		models.ErrMemberNotFound.Code: true, models.ErrLastOwner.Code: true, models.ErrAlreadyMember.Code: true,
		models.ErrMemberInvitationNotFound.Code: true, models.ErrMemberInvitationUsed.Code: true,
		models.ErrMemberInvitationExpired.Code: true, models.ErrEventNotFound.Code: true,
		models.ErrAPIKeyNotFound.Code: true, models.ErrVersionNotFound.Code: true, models.ErrCampaignExists.Code: true,
		// Account deletion, the console's and the purge job's: the API refuses
		// the account's keys from the day it is scheduled, 7 days before the
		// purge, so no request of the account is in flight when it ends.
		models.ErrDeletionNotDue.Code: true, models.ErrDeletionFinal.Code: true, models.ErrAccountDeleted.Code: true,
	}
	for code, kind := range domainErrorKinds(t) {
		statusOf(code, surface.Status(kind), !notReachable[code])
	}
	for status, code := range fiberCodes {
		statusOf(code, status, status == http.StatusRequestEntityTooLarge)
	}
	statusOf("internal_error", http.StatusInternalServerError, true)
	statusOf("unavailable", http.StatusServiceUnavailable, true)
	statusOf("invalid_api_key", http.StatusUnauthorized, true)
	// The web layer's own errors: newAPIError(status, code, …) and
	// apiError{Status: …, Code: …} in its source.
	for code, status := range sourceErrorCodes(t, ".", func(call *ast.CallExpr) (ast.Expr, ast.Expr, bool) {
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "newAPIError" && len(call.Args) >= 2 {
			return call.Args[0], call.Args[1], true
		}
		return nil, nil, false
	}, "apiError") {
		statusOf(code, status, true)
	}
	// The shared body decoder's refusals: jsonbody.Error{Status: …, Code: …}.
	noCalls := func(*ast.CallExpr) (ast.Expr, ast.Expr, bool) { return nil, nil, false }
	for code, status := range sourceErrorCodes(t, "../internal/jsonbody", noCalls, "Error") {
		statusOf(code, status, true)
	}
	// The codes of the hardening review's fixes, each listed on the operations
	// that answer it (bad_input_test.go and auth_test.go produce them).
	for _, want := range []struct {
		op     string
		status string
		code   string
	}{
		{"POST /v1/events", "400", "invalid_idempotency_key"},
		{"POST /v1/participants", "400", "invalid_idempotency_key"},
		{"POST /v1/events", "422", "invalid_properties"},
		{"PUT /v1/campaigns/{slug}", "422", "invalid_url"},
		{"PUT /v1/campaigns/{slug}", "422", "too_many_milestones"},
		{"PUT /v1/campaigns/{slug}", "422", "invalid_amount"},
		{"GET /v1/campaigns", "429", "rate_limited"},
	} {
		found := false
		for _, r := range ops {
			if r.Method+" "+r.Path != want.op {
				continue
			}
			for _, e := range r.Op.Responses {
				found = found || e.Key == want.status && slices.Contains(doc.Response(e.Value).ErrorCodes, want.code)
			}
		}
		if !found {
			t.Errorf("%s does not list %s under %s", want.op, want.code, want.status)
		}
	}
	// Models' validation errors, invalid(field, code, …), are 422.
	for code := range sourceErrorCodes(t, "../../models", func(call *ast.CallExpr) (ast.Expr, ast.Expr, bool) {
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "invalid" && len(call.Args) >= 2 {
			return ast.NewIdent("StatusUnprocessableEntity"), call.Args[1], true
		}
		return nil, nil, false
	}, "ValidationError") {
		statusOf(code, http.StatusUnprocessableEntity, false)
	}
}

// domainErrorKinds finds the domain errors declared in models, written
// &Error{Kind, "code", "message"}, with their kinds.
func domainErrorKinds(t *testing.T) map[string]models.Kind {
	t.Helper()
	kinds := map[string]models.Kind{"Invalid": models.Invalid, "NotFound": models.NotFound, "Conflict": models.Conflict,
		"Gone": models.Gone, "Forbidden": models.Forbidden, "Limited": models.Limited, "OverLimit": models.OverLimit}
	fset := token.NewFileSet()
	out := map[string]models.Kind{}
	for _, pkg := range []map[string]*ast.File{parseSources(t, fset, "../../models")} {
		for _, file := range pkg {
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok {
					return true
				}
				if id, isIdent := lit.Type.(*ast.Ident); !isIdent || id.Name != "Error" {
					return true
				}
				if len(lit.Elts) != 3 {
					t.Errorf("%s: a domain error must be written &Error{Kind, \"code\", \"message\"}", fset.Position(lit.Pos()))
					return true
				}
				kindName, _ := lit.Elts[0].(*ast.Ident)
				code, _ := lit.Elts[1].(*ast.BasicLit)
				kind, known := models.Kind(0), false
				if kindName != nil {
					kind, known = kinds[kindName.Name]
				}
				if code == nil || !known {
					t.Errorf("%s: a domain error must be written &Error{Kind, \"code\", \"message\"}", fset.Position(lit.Pos()))
					return true
				}
				unquoted, _ := strconv.Unquote(code.Value)
				out[unquoted] = kind
				return true
			})
		}
	}
	if len(out) < 20 {
		t.Fatalf("found only %d domain errors in models", len(out))
	}
	return out
}

// httpStatuses names the net/http constants the error sites use.
var httpStatuses = map[string]int{
	"StatusBadRequest": 400, "StatusUnauthorized": 401, "StatusForbidden": 403, "StatusNotFound": 404,
	"StatusMethodNotAllowed": 405, "StatusConflict": 409, "StatusGone": 410, "StatusRequestEntityTooLarge": 413,
	"StatusUnsupportedMediaType": 415, "StatusUnprocessableEntity": 422, "StatusTooManyRequests": 429,
	"StatusPaymentRequired": 402, "StatusBadGateway": 502,
}

// sourceErrorCodes finds the error codes built in the non-test Go files of
// dir, by calls that match (returning the status and code arguments) and by
// composite literals of the named type, with their statuses.
func sourceErrorCodes(t *testing.T, dir string, match func(*ast.CallExpr) (ast.Expr, ast.Expr, bool), literal string) map[string]int {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := []map[string]*ast.File{parseSources(t, fset, dir)}
	out := map[string]int{}
	add := func(statusExpr, codeExpr ast.Expr) {
		lit, ok := codeExpr.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		code, _ := strconv.Unquote(lit.Value)
		name := ""
		switch x := statusExpr.(type) {
		case *ast.SelectorExpr:
			name = x.Sel.Name
		case *ast.Ident:
			name = x.Name
		}
		status, ok := httpStatuses[name]
		if !ok {
			t.Errorf("%s: status %s of %s is not in httpStatuses", fset.Position(codeExpr.Pos()), name, code)
			return
		}
		out[code] = status
	}
	for _, pkg := range pkgs {
		for _, file := range pkg {
			ast.Inspect(file, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					if status, code, ok := match(x); ok {
						add(status, code)
					}
				case *ast.CompositeLit:
					if id, ok := x.Type.(*ast.Ident); !ok || id.Name != literal {
						return true
					}
					var status, code ast.Expr = ast.NewIdent("StatusUnprocessableEntity"), nil
					for _, elt := range x.Elts {
						if kv, ok := elt.(*ast.KeyValueExpr); ok {
							switch kv.Key.(*ast.Ident).Name {
							case "Status":
								status = kv.Value
							case "Code":
								code = kv.Value
							}
						}
					}
					if code != nil {
						add(status, code)
					}
				}
				return true
			})
		}
	}
	return out
}

// parseSources parses the non-test Go files of dir, by name (as the
// deprecated parser.ParseDir did, for the one package there).
func parseSources(t *testing.T, fset *token.FileSet, dir string) map[string]*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if files[name], err = parser.ParseFile(fset, name, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	return files
}
