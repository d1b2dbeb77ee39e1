package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// sqlExemptions are statements that name a tenant table without the
// tenant, keyed by file and a piece of the statement's text, each with the
// reason it may.
var sqlExemptions = map[string]string{}

// TestEveryQuerySaysItsTenant: every SQL statement of models and tenants
// that reads or writes a tenant table (one with a tenant_id column in
// docs/schema.sql) names the tenant, once for each such table: WHERE
// tenant_id = ?, joins on tenant_id as well as the id, INSERTs listing
// tenant_id. Row-level security already confines every statement to the
// transaction's tenant; naming it besides is what lets Citus route the
// statement to the one worker holding the tenant's shards (without it a
// FOR UPDATE is refused outright, and a read fans out to every shard), and
// what gives the one-node planner the first column of every key.
func TestEveryQuerySaysItsTenant(t *testing.T) {
	tables := tenantTables(t)
	checked := 0
	used := map[string]bool{}
	for _, s := range sqlStatements(t, "models", "tenants") {
		refs := tenantTableRefs(s.text, tables)
		if len(refs) == 0 {
			continue
		}
		checked++
		if key, ok := exempted(s); ok {
			used[key] = true
			continue
		}
		if problem := tenantProblem(s.text, refs, tables); problem != "" {
			t.Errorf("%s: %s (tenant tables: %s):\n%s", s.pos, problem, strings.Join(refs, ", "), s.text)
		}
	}
	for key := range sqlExemptions {
		if !used[key] {
			t.Errorf("exemption %q matches no statement: remove it", key)
		}
	}
	// Guards the parsing above: models alone holds well over a hundred
	// statements on tenant tables.
	if checked < 100 {
		t.Fatalf("checked only %d statements on tenant tables: is the search for SQL broken?", checked)
	}
}

// tenantProblem says what sql lacks to name its tenant, or "".
func tenantProblem(sql string, refs []string, tables map[string]bool) string {
	inserts := false
	for _, m := range insertColumns.FindAllStringSubmatch(sql, -1) {
		if !tables[m[1]] {
			continue
		}
		if !tenantColumn.MatchString(m[2]) {
			return "INSERT INTO " + m[1] + " does not list tenant_id: give it explicitly, not by the column's default"
		}
		inserts = true
	}
	if n := strings.Count(sql, "tenant_id"); n < len(refs) {
		return fmt.Sprintf("names tenant_id %d times for %d references to tenant tables: name the tenant for each (tenant_id = ?, joins on tenant_id as well as the id)", n, len(refs))
	}
	if !tenantBound.MatchString(sql) && !inserts {
		return "compares tenant_id with no parameter: name the transaction's tenant (tenant_id = ? with tenantOf(ctx)), not app_tenant_id()"
	}
	return ""
}

// exempted reports the key of the exemption that covers s, if any.
func exempted(s sqlStatement) (string, bool) {
	for key := range sqlExemptions {
		file, piece, _ := strings.Cut(key, ": ")
		if s.file == file && strings.Contains(s.text, piece) {
			return key, true
		}
	}
	return "", false
}

var (
	createTable  = regexp.MustCompile(`(?m)^CREATE TABLE public\.(\w+) \(\n((?:.*\n)*?)\);`)
	tenantColumn = regexp.MustCompile(`\btenant_id\b`)
	// tableRef finds the table after the keywords that introduce one. A
	// FROM inside extract(… FROM col) or FOR UPDATE OF alias names no
	// tenant table, so it is never counted.
	tableRef = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|INTO|UPDATE|USING)\s+(?:ONLY\s+)?(?:public\.)?([a-z_][a-z0-9_]*)\b`)
	// insertColumns finds an INSERT's table and column list.
	insertColumns = regexp.MustCompile(`(?i)\bINSERT\s+INTO\s+(?:public\.)?([a-z_][a-z0-9_]*)(?:\s+AS\s+\w+)?\s*\(([^)]*)\)`)
	// tenantBound finds tenant_id compared with a parameter.
	tenantBound = regexp.MustCompile(`\btenant_id\s*=\s*(\?|@\w+)`)
	// sqlVerb and sqlNoun tell SQL from prose: the house writes SQL's
	// keywords in capitals.
	sqlVerb = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE)\b`)
	sqlNoun = regexp.MustCompile(`\b(FROM|INTO|SET)\b`)
)

// tenantTables reads the tables with a tenant_id column from the committed
// schema.
func tenantTables(t *testing.T) map[string]bool {
	t.Helper()
	schema, err := os.ReadFile("../../docs/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]bool{}
	for _, m := range createTable.FindAllStringSubmatch(string(schema), -1) {
		if tenantColumn.MatchString(m[2]) {
			tables[m[1]] = true
		}
	}
	if len(tables) < 30 || !tables["campaigns"] || tables["tenants"] {
		t.Fatalf("read %d tenant tables from docs/schema.sql: is its layout changed?", len(tables))
	}
	return tables
}

// tenantTableRefs lists the references to tenant tables in one statement,
// a table once per reference.
func tenantTableRefs(sql string, tables map[string]bool) []string {
	var refs []string
	for _, m := range tableRef.FindAllStringSubmatch(sql, -1) {
		if tables[m[1]] {
			refs = append(refs, m[1])
		}
	}
	sort.Strings(refs)
	return refs
}

// sqlStatement is one SQL string literal, or one concatenation of string
// literals and the package's string constants.
type sqlStatement struct {
	file string // relative to the module root, slash-separated
	pos  string // file:line
	text string
}

// sqlStatements returns the strings of the non-test Go files in dirs that
// look like SQL statements. A concatenation is read whole, with the
// package's constants put in (any other operand reads as ?); a constant
// that only serves as a piece of such concatenations (a shared SELECT
// list) is read in them, not alone.
func sqlStatements(t *testing.T, dirs ...string) []sqlStatement {
	t.Helper()
	var out []sqlStatement
	fset := token.NewFileSet()
	for _, dir := range dirs {
		paths, err := filepath.Glob(filepath.Join("../..", dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]*ast.File{}
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			files[dir+"/"+filepath.Base(path)] = f
		}
		consts, pieces := packageConsts(files)
		for file, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				if v, ok := n.(*ast.ValueSpec); ok && len(v.Names) == 1 && pieces[v.Names[0].Name] {
					return false
				}
				if _, ok := n.(*ast.Ident); ok { // a constant is read where it is declared
					return true
				}
				text, ok := stringValue(n, consts)
				if !ok {
					return true
				}
				if sqlVerb.MatchString(text) && sqlNoun.MatchString(text) {
					line := fset.Position(n.Pos()).Line
					out = append(out, sqlStatement{file: file, pos: file + ":" + strconv.Itoa(line), text: text})
				}
				return false
			})
		}
	}
	return out
}

// packageConsts returns the package-level constants of files, and those of
// them used as an operand of +.
func packageConsts(files map[string]*ast.File) (consts map[string]ast.Expr, pieces map[string]bool) {
	consts, pieces = map[string]ast.Expr{}, map[string]bool{}
	for _, f := range files {
		for _, decl := range f.Decls {
			if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					v := spec.(*ast.ValueSpec)
					for i, name := range v.Names {
						if i < len(v.Values) {
							consts[name.Name] = v.Values[i]
						}
					}
				}
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if b, ok := n.(*ast.BinaryExpr); ok && b.Op == token.ADD {
				for _, x := range []ast.Expr{b.X, b.Y} {
					if id, ok := x.(*ast.Ident); ok && consts[id.Name] != nil {
						pieces[id.Name] = true
					}
				}
			}
			return true
		})
	}
	return consts, pieces
}

// stringValue returns the value of a string literal or of a concatenation
// with at least one string literal in it, the package's constants put in.
func stringValue(n ast.Node, consts map[string]ast.Expr) (string, bool) {
	switch n := n.(type) {
	case *ast.BasicLit:
		if n.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(n.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if n.Op != token.ADD {
			return "", false
		}
		x, okX := stringValue(n.X, consts)
		y, okY := stringValue(n.Y, consts)
		if !okX && !okY {
			return "", false
		}
		return operand(x, okX) + operand(y, okY), true
	case *ast.ParenExpr:
		return stringValue(n.X, consts)
	case *ast.Ident:
		if e := consts[n.Name]; e != nil {
			return stringValue(e, consts)
		}
	}
	return "", false
}

// operand is a piece of a concatenation: its value when known, otherwise ?.
func operand(s string, known bool) string {
	if known {
		return s
	}
	return "?"
}
