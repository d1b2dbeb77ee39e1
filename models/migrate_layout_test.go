package models_test

// The layout of migrations/ (README.md there).

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// boundFunctions may keep their first definition in a versioned migration:
// a column default, a CHECK constraint or the policies the migrations
// create call them, so they must exist before the functions are applied
// (README.md). Their current text is in functions/ like every other's.
var boundFunctions = []string{"app_tenant_id", "enable_tenant_rls", "new_id", "new_sorted_id", "register_code", "widget_origins_valid"}

// migrationsDir is migrations/, seen from the package's directory.
const migrationsDir = "../migrations"

var createFunction = regexp.MustCompile(`(?i)CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:public\.)?(\w+)`)

// TestFunctionsLiveInOneFile: each function's text is in functions/ and
// nowhere else but the first definition of a bound one; no versioned
// migration defines a trigger or keeps a Down section.
func TestFunctionsLiveInOneFile(t *testing.T) {
	var files []string
	err := filepath.WalkDir(migrationsDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".sql") {
			rel, _ := filepath.Rel(migrationsDir, path)
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string][]string{}
	for _, path := range files {
		text, err := os.ReadFile(filepath.Join(migrationsDir, path))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range createFunction.FindAllStringSubmatch(string(text), -1) {
			defined[m[1]] = append(defined[m[1]], path)
		}
		if filepath.Dir(path) != "." {
			continue
		}
		if strings.Contains(string(text), "+goose Down") {
			t.Errorf("%s: has a Down section: migrations only go forward", path)
		}
		if regexp.MustCompile(`(?i)CREATE\s+(OR\s+REPLACE\s+)?(CONSTRAINT\s+)?TRIGGER`).Match(text) {
			t.Errorf("%s: defines a trigger: triggers belong in triggers/", path)
		}
	}
	if got := defined["ingest_events"]; !slices.Equal(got, []string{"functions/ingest_events.sql"}) {
		t.Errorf("ingest_events is defined in %v, want only functions/ingest_events.sql", got)
	}
	for name, paths := range defined {
		own := "functions/" + name + ".sql"
		if !slices.Contains(paths, own) {
			t.Errorf("%s is defined in %v, not in %s", name, paths, own)
		}
		if extra := len(paths) - 1; extra > 0 && (extra > 1 || !slices.Contains(boundFunctions, name)) {
			t.Errorf("%s is defined in %v: only %s may define it (README.md)", name, paths, own)
		}
	}
}
