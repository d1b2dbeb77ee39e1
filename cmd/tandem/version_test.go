package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `tandem version` says the version -ldflags stamped, as the Dockerfile
// does; unstamped, what Go recorded, never nothing.
func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out); err != nil {
		t.Fatal(err)
	}
	if v := strings.TrimPrefix(strings.TrimSpace(out.String()), "tandem "); v == "" || v == out.String() {
		t.Errorf("tandem version said %q", out.String())
	}

	bin := filepath.Join(t.TempDir(), "tandem")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7-test", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	stamped, err := exec.Command(bin, "version").Output()
	if err != nil || strings.TrimSpace(string(stamped)) != "tandem v9.8.7-test" {
		t.Errorf("the stamped binary said %q (%v); want tandem v9.8.7-test", stamped, err)
	}
}
