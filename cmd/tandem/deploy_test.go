package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// flyConfig is what the tests read of fly.toml.
type flyConfig struct {
	KillSignal  string `toml:"kill_signal"`
	KillTimeout string `toml:"kill_timeout"`
	Deploy      struct {
		ReleaseCommand string `toml:"release_command"`
	} `toml:"deploy"`
	Env map[string]string `toml:"env"`
	VM  []struct {
		Memory string `toml:"memory"`
	} `toml:"vm"`
}

func readFlyConfig(t *testing.T) flyConfig {
	t.Helper()
	var cfg flyConfig
	if _, err := toml.DecodeFile("../../fly.toml", &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// dockerEntrypoint returns the words of the Dockerfile's ENTRYPOINT (its
// exec form, a JSON array).
func dockerEntrypoint(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "ENTRYPOINT "); ok {
			if err := json.Unmarshal([]byte(rest), &words); err != nil {
				t.Fatalf("ENTRYPOINT %s is not the exec form: %v", rest, err)
			}
		}
	}
	if len(words) == 0 || words[0] != "/usr/local/bin/tandem" {
		t.Fatalf("the Dockerfile's ENTRYPOINT is %q; want /usr/local/bin/tandem first (the binary copied there)", words)
	}
	return words
}

// Fly runs release_command's words as arguments of the image's
// ENTRYPOINT: the release must migrate a database with exactly those.
func TestReleaseCommandMigrates(t *testing.T) {
	release := strings.Fields(readFlyConfig(t).Deploy.ReleaseCommand)
	entry := dockerEntrypoint(t)
	bin := buildTandem(t)
	args := append(append([]string{}, entry[1:]...), release...)
	cmd := exec.CommandContext(context.Background(), bin, args...)
	// As on Fly: the secrets and fly.toml's [env], nothing of the test's.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "DATABASE_URL=" + env.OwnerURL}
	for k, v := range readFlyConfig(t).Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", entry[0], strings.Join(args, " "), err, out)
	}
	if !strings.Contains(string(out), "migrations applied") {
		t.Errorf("%s %s said %q; want it to apply the migrations", entry[0], strings.Join(args, " "), out)
	}
}

// The collector's figures live in cmd/tandem/gc.go alone: fly.toml leaves
// GOGC and GOMEMLIMIT to serve, the documents refer to gc.go rather than
// quote it, and serve's soft limit fits the machines fly.toml asks for.
func TestMemoryLimitInOnePlace(t *testing.T) {
	fly := readFlyConfig(t)
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		if v, ok := fly.Env[name]; ok {
			t.Errorf("fly.toml sets %s=%q: leave it to serve, whose figure is in cmd/tandem/gc.go", name, v)
		}
	}
	mib := serveMemoryLimit >> 20
	for _, doc := range []string{"../../README.md", "../../docs/operations.md", "../../docs/performance.md", "../../docs/design.md"} {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, quoted := range []string{fmt.Sprintf("%d MiB", mib), fmt.Sprintf("%dMiB", mib)} {
			if strings.Contains(string(text), quoted) {
				t.Errorf("%s quotes serve's memory limit (%s): refer to cmd/tandem/gc.go instead", doc, quoted)
			}
		}
	}
	if len(fly.VM) == 0 {
		t.Fatal("fly.toml asks for no [[vm]]")
	}
	for _, vm := range fly.VM {
		mb, err := strconv.Atoi(strings.TrimSuffix(strings.ToLower(vm.Memory), "mb"))
		if err != nil {
			t.Fatalf("fly.toml's vm memory %q: %v", vm.Memory, err)
		}
		if serveMemoryLimit >= mb*1_000_000 {
			t.Errorf("serve's soft memory limit (%d MiB) does not fit a machine of %s", mib, vm.Memory)
		}
	}
}

// Fly stops a machine with kill_signal and kills it kill_timeout later:
// serve drains on SIGTERM (SIGINT too), and needs SHUTDOWN_DELAY plus its
// grace.
func TestFlyStopsAfterTheDrain(t *testing.T) {
	fly := readFlyConfig(t)
	if fly.KillSignal != "SIGTERM" {
		t.Errorf("fly.toml's kill_signal is %q, want SIGTERM", fly.KillSignal)
	}
	cfg, err := loadConfig(func(k string) (string, bool) { v, ok := fly.Env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	timeout, err := time.ParseDuration(fly.KillTimeout)
	if err != nil {
		t.Fatalf("kill_timeout %q: %v", fly.KillTimeout, err)
	}
	if need := cfg.ShutdownDelay + shutdownGrace; timeout <= need {
		t.Errorf("kill_timeout %s is not more than the drain's %s (SHUTDOWN_DELAY %s + grace %s)", timeout, need, cfg.ShutdownDelay, shutdownGrace)
	}
}

// PUBLIC_URL is required to serve a real database: without it, serve stops
// at once, saying so, before it opens anything.
func TestServeRequiresPublicURL(t *testing.T) {
	t.Setenv("APP_DATABASE_URL", env.AppURL)
	t.Setenv("PUBLIC_URL", "")
	err := run(context.Background(), []string{"serve"}, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "PUBLIC_URL is required") {
		t.Errorf("serve without PUBLIC_URL: %v; want it refused", err)
	}
}
