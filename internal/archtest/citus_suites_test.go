package archtest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEveryDatabaseSuiteRunsOnCitus: every package whose tests use the
// test database (they import internal/dbtest) is one of the Makefile's
// CITUS_SUITES, so that make test-citus runs it on the distributed schema
// as make test runs it on one PostgreSQL.
func TestEveryDatabaseSuiteRunsOnCitus(t *testing.T) {
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^CITUS_SUITES = ((?:.*\\\n)*.*)$`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("the Makefile defines no CITUS_SUITES")
	}
	listed := map[string]bool{}
	for _, dir := range strings.Fields(strings.ReplaceAll(string(m[1]), "\\", " ")) {
		listed[strings.Trim(strings.TrimPrefix(dir, "./"), "/")] = true
	}
	for _, f := range parseModule(t) {
		if !f.test || listed[f.pkg] {
			continue
		}
		for _, imp := range f.imports() {
			if imp == module+"/internal/dbtest" {
				t.Errorf("%s uses the test database, but ./%s/ is not in the Makefile's CITUS_SUITES", f.path, f.pkg)
			}
		}
	}
}
