// Package archtest holds the rules of the module's shape that the compiler
// cannot enforce: who may open the door into a tenant's data, and which
// package may import which. It has no code of its own, only this test,
// which parses every Go file of the module.
package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/tandemhq/tandem"

// goFile is one parsed Go file of the module.
type goFile struct {
	path string // relative to the module root, slash-separated
	pkg  string // its directory as a package path relative to the module: "models", "web/api"
	test bool
	ast  *ast.File
}

// parseModule parses every Go file under the module root, skipping
// testdata and hidden directories.
func parseModule(t *testing.T) []goFile {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	fset := token.NewFileSet()
	var files []goFile
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		files = append(files, goFile{path: rel, pkg: filepath.ToSlash(filepath.Dir(rel)), test: strings.HasSuffix(path, "_test.go"), ast: f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("found only %d Go files under %s: is the walk broken?", len(files), root)
	}
	return files
}

// imports returns the import paths of f.
func (f goFile) imports() []string {
	var out []string
	for _, spec := range f.ast.Imports {
		p, _ := strconv.Unquote(spec.Path.Value)
		out = append(out, p)
	}
	return out
}

// under reports whether pkg is dir or inside it.
func under(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

// TestOnlyTenantsOpensTheDoor: models.WithTx puts a tenant transaction in a
// context, and only tenants.WithTenant may do that, after switching to the
// restricted role and setting app.tenant_id. Go cannot export a name to
// one package only, so this test is the rule: no file outside tenants
// (and models, which defines it) refers to models.WithTx, tests included.
func TestOnlyTenantsOpensTheDoor(t *testing.T) {
	const door = "WithTx"
	for _, f := range parseModule(t) {
		if f.pkg == "tenants" || f.pkg == "models" {
			continue
		}
		name := ""
		for _, spec := range f.ast.Imports {
			if p, _ := strconv.Unquote(spec.Path.Value); p == module+"/models" {
				name = "models"
				if spec.Name != nil {
					name = spec.Name.Name
				}
			}
		}
		if name == "" {
			continue
		}
		if name == "." {
			t.Errorf("%s dot-imports models, which hides references to models.%s", f.path, door)
			continue
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name && sel.Sel.Name == door {
				t.Errorf("%s refers to models.%s: only package tenants opens a tenant transaction (tenants.WithTenant)", f.path, door)
			}
			return true
		})
	}
}

// TestTheDoorIsUsed guards the test above against a rename: models still
// defines WithTx, and tenants still calls it.
func TestTheDoorIsUsed(t *testing.T) {
	defined, called := false, false
	for _, f := range parseModule(t) {
		if f.test {
			continue
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if f.pkg == "models" && n.Recv == nil && n.Name.Name == "WithTx" {
					defined = true
				}
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && f.pkg == "tenants" && id.Name == "models" && n.Sel.Name == "WithTx" {
					called = true
				}
			}
			return true
		})
	}
	if !defined || !called {
		t.Fatalf("models.WithTx defined %v, called from tenants %v: the door moved; update TestOnlyTenantsOpensTheDoor", defined, called)
	}
}

// TestImportRules: the layers import one way (cmd → web → views, web →
// internal/stripebilling → tenants → models, views → models, internal/money and
// migrations at the bottom),
// and the web framework and the session manager stay in web and cmd.
func TestImportRules(t *testing.T) {
	type importRule struct {
		from  func(f goFile) bool
		what  string // an import path, or a prefix ending in "/"
		why   string
		tests bool // the rule binds test files too
	}
	forbidden := []importRule{
		{func(f goFile) bool { return !under(f.pkg, "web") && !under(f.pkg, "cmd") }, "github.com/gofiber/fiber/v2",
			"Fiber stays in web/ and cmd/", false},
		{func(f goFile) bool { return !under(f.pkg, "web") && !under(f.pkg, "cmd") }, "github.com/alexedwards/scs/",
			"sessions stay in web/ and cmd/", false},
		// models' external tests open tenant transactions through tenants, as callers do.
		{func(f goFile) bool { return under(f.pkg, "models") }, module + "/tenants", "models is below tenants", false},
		{func(f goFile) bool { return under(f.pkg, "models") }, module + "/views", "models is below views", true},
		{func(f goFile) bool { return under(f.pkg, "models") }, module + "/web", "models is below web", true},
		{func(f goFile) bool { return under(f.pkg, "views") }, module + "/tenants", "views render; they do not open tenants", true},
		{func(f goFile) bool { return under(f.pkg, "views") }, module + "/web", "views are below web", true},
		{func(f goFile) bool { return under(f.pkg, "tenants") }, module + "/web", "tenants is below web", true},
		{func(f goFile) bool { return under(f.pkg, "tenants") }, module + "/views", "tenants does not render", true},
		// internal/stripebilling talks to Tandem's own Stripe account for the
		// surfaces, below web and above tenants. internal/stripereward makes
		// rewards' Stripe objects with the tenant's key; it knows Stripe only
		// (jobs and the surfaces bring the data).
		{func(f goFile) bool {
			return !under(f.pkg, "internal/stripebilling") && !under(f.pkg, "internal/stripereward")
		}, "github.com/stripe/stripe-go/",
			"Stripe's client stays in internal/stripebilling and internal/stripereward", false},
		{func(f goFile) bool { return under(f.pkg, "internal/stripereward") }, module + "/", "internal/stripereward is a leaf", false},
		{func(f goFile) bool { return under(f.pkg, "tenants") || under(f.pkg, "models") || under(f.pkg, "views") }, module + "/internal/stripereward",
			"internal/stripereward is called by jobs and the surfaces, never below them", true},
		{func(f goFile) bool { return under(f.pkg, "internal/stripebilling") }, module + "/web", "internal/stripebilling is below web", true},
		{func(f goFile) bool { return under(f.pkg, "internal/stripebilling") }, module + "/views", "internal/stripebilling does not render", true},
		{func(f goFile) bool { return under(f.pkg, "tenants") || under(f.pkg, "models") }, module + "/internal/stripebilling",
			"internal/stripebilling is above tenants and models", true},
		{func(f goFile) bool { return under(f.pkg, "internal/money") }, module + "/", "internal/money is a leaf", true},
		{func(f goFile) bool { return under(f.pkg, "internal/secretbox") }, module + "/", "internal/secretbox is a leaf", true},
		{func(f goFile) bool { return under(f.pkg, "internal/safehttp") }, module + "/", "safehttp is a leaf", true},
		{func(f goFile) bool { return under(f.pkg, "internal/ratelimit/addrlimit") }, module + "/", "addrlimit counts in memory: a leaf", true},
		// jobs reaches tenant data through tenants, below web like it; its
		// end-to-end tests may serve the API.
		{func(f goFile) bool { return under(f.pkg, "internal/jobs") }, module + "/web", "jobs is below web: cmd hands it what it needs from web", false},
		{func(f goFile) bool { return under(f.pkg, "internal/jobs") }, module + "/views", "jobs does not render", true},
		{func(f goFile) bool { return under(f.pkg, "internal/jobs") }, module + "/cmd/", "jobs is below cmd", true},
		{func(f goFile) bool {
			return !under(f.pkg, "cmd") && !under(f.pkg, "internal/jobs") && !under(f.pkg, "bench") && !f.test
		},
			"github.com/riverqueue/river", "River is driven by jobs (and migrated by models, through rivermigrate only)", false},
		{func(f goFile) bool {
			return under(f.pkg, "web") || under(f.pkg, "tenants") || under(f.pkg, "models") || under(f.pkg, "views")
		},
			module + "/internal/jobs", "only cmd starts the jobs", true},
		{func(f goFile) bool { return under(f.pkg, "migrations") }, module + "/", "migrations holds SQL and its embed only", true},
		// The widget's build command bundles JavaScript.
		{func(f goFile) bool { return under(f.pkg, "widgetjs") }, module + "/", "the widget's build needs nothing of the server", true},
	}
	// The Go SDK is for tenants' backends: it stands alone (a module of its
	// own, importing only itself); the example backends use it and nothing
	// of the server.
	for _, inner := range []string{"/web/", "/models/", "/tenants/", "/views/", "/internal/", "/migrations/", "/cmd/", "/examples/", "/e2e/"} {
		forbidden = append(forbidden, importRule{func(f goFile) bool { return under(f.pkg, "client") }, module + inner, "the SDK stands alone", true})
	}
	for _, inner := range []string{"/web/", "/models/", "/tenants/", "/views/", "/internal/", "/migrations/"} {
		forbidden = append(forbidden, importRule{func(f goFile) bool { return under(f.pkg, "examples") }, module + inner, "examples use the Go SDK, as a tenant would", true})
	}
	// Surfaces never import each other: what they share is web/internal.
	for _, surface := range []string{"web/api", "web/console", "web/invite", "web/widget"} {
		for _, other := range []string{"web/api", "web/console", "web/invite", "web/widget"} {
			if other == surface {
				continue
			}
			forbidden = append(forbidden, importRule{func(f goFile) bool { return under(f.pkg, surface) }, module + "/" + other, "surfaces never import each other", true})
		}
	}
	for _, f := range parseModule(t) {
		for _, imp := range f.imports() {
			for _, rule := range forbidden {
				if f.test && !rule.tests || !rule.from(f) {
					continue
				}
				if imp == rule.what || imp == strings.TrimSuffix(rule.what, "/") || strings.HasSuffix(rule.what, "/") && strings.HasPrefix(imp, rule.what) {
					t.Errorf("%s imports %s: %s", f.path, imp, rule.why)
				}
			}
		}
	}
}

// TestMigrationsHoldSQLOnly: migrations/ is SQL files (the goose migrations,
// and in functions/, triggers/ and always/ what is applied after them on
// every run), the one Go file that embeds them and the README that says how
// to change them.
func TestMigrationsHoldSQLOnly(t *testing.T) {
	err := filepath.WalkDir("../../migrations", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		name, _ := filepath.Rel("../../migrations", path)
		if !strings.HasSuffix(name, ".sql") && name != "embed.go" && name != "README.md" {
			t.Errorf("migrations/%s: migrations holds .sql files, embed.go and README.md only", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range parseModule(t) {
		if f.pkg != "migrations" {
			continue
		}
		for _, imp := range f.imports() {
			if imp != "embed" {
				t.Errorf("%s imports %s: migrations only embeds its SQL", f.path, imp)
			}
		}
		for _, d := range f.ast.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok {
				t.Errorf("%s declares func %s: migrations holds no code", f.path, fn.Name.Name)
			}
		}
	}
}

// TestTopLevel: the module's root holds the entries the stack names (cmd,
// web, views, static, models, tenants, migrations and the deployment's
// files), the few a Go reader expects beside them, and the widget's
// JavaScript source; every other package lives under internal/. It reads
// what git tracks, so a local build's output does not count.
func TestTopLevel(t *testing.T) {
	allowed := map[string]bool{
		"cmd": true, "web": true, "views": true, "static": true, "models": true, "tenants": true, "migrations": true,
		"Dockerfile": true, "fly.toml": true, "go.mod": true, "go.sum": true, "README.md": true, "Makefile": true,
		"internal": true, "client": true, "docs": true, "bench": true, "e2e": true, "examples": true, "widgetjs": true,
		// The tools' requirements (go tool -modfile=tools.mod), kept out of go.mod, beside it where Go readers look.
		"tools.mod": true, "tools.sum": true,
	}
	out, err := exec.Command("git", "-C", "../..", "ls-files").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	seen := map[string]bool{}
	for _, path := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		top, _, _ := strings.Cut(path, "/")
		if strings.HasPrefix(top, ".") || seen[top] {
			continue
		}
		seen[top] = true
		if !allowed[top] {
			t.Errorf("%s at the top level: a package goes under internal/ (or name it here, if it earns its place)", top)
		}
	}
	if !seen["cmd"] || !seen["internal"] {
		t.Fatalf("git ls-files listed %d top-level entries, without cmd or internal: is the listing broken?", len(seen))
	}
}
