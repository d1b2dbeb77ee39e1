package main

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tandemhq/tandem/bench/reference"
)

func TestRows(t *testing.T) {
	for _, tc := range []struct {
		name        string
		r           row
		ratio, goal string
		pass        bool
	}{
		{"above the goal", ratioRow("f", 700, 1000, "ref", 0.6), "0.70", "≥ 0.60", true},
		{"on the goal", ratioRow("f", 600, 1000, "ref", 0.6), "0.60", "≥ 0.60", true},
		{"below the goal", ratioRow("f", 599, 1000, "ref", 0.6), "0.59", "≥ 0.60", false}, // rounded down
		{"no reference", ratioRow("f", 700, 0, "ref", 0.6), "—", "≥ 0.60", false},
		{"under the bound", boundRow("f", "31.0 ms", 31, 50, "ms"), "—", "< 50 ms", true},
		{"on the bound", boundRow("f", "150 MB", 150, 150, "MB"), "—", "< 150 MB", false},
		{"rule holds", checkRow("f", "ok", nil), "—", "holds", true},
		{"rule broken", checkRow("f", "ok", errors.New("two rewards")), "—", "holds", false},
	} {
		if tc.r.ratio != tc.ratio || tc.r.goal != tc.goal || tc.r.pass != tc.pass {
			t.Errorf("%s: ratio %q goal %q pass %v; want %q %q %v", tc.name, tc.r.ratio, tc.r.goal, tc.r.pass, tc.ratio, tc.goal, tc.pass)
		}
	}
}

func TestPrintTable(t *testing.T) {
	f := figures{
		refEvent:    result{events: 37_000, elapsed: 10 * time.Second},
		single:      result{events: 5_200, elapsed: 10 * time.Second, latencies: []time.Duration{20 * time.Millisecond, 83 * time.Millisecond}},
		cold:        result{events: 4_700, elapsed: 10 * time.Second},
		refGrown:    result{events: 36_000, elapsed: 10 * time.Second},
		grown:       result{events: 5_000, elapsed: 10 * time.Second},
		spreadBurst: result{events: 1_000, elapsed: 2 * time.Second},
		hotBurst:    result{events: 1_000, elapsed: 4 * time.Second},
		refBatch:    result{events: 780_000, elapsed: 10 * time.Second},
		batch:       result{events: 400_000, elapsed: 10 * time.Second},
		hwm:         100 * 1024,
		completing: result{events: 300_000, elapsed: 10 * time.Second,
			latencies: []time.Duration{300 * time.Millisecond, 620 * time.Millisecond}},
		completions: completionCost{batch: 390 * time.Microsecond, hot: 700 * time.Microsecond, spread: 400 * time.Microsecond,
			reviewedFlagged: 420 * time.Microsecond, batchAgain: 390 * time.Microsecond},
	}
	var b strings.Builder
	if err := printTable(&b, f.rows(config{seconds: 10, stored: 1_000_000})); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	want := [][]string{
		{"figure", "measured", "reference", "ratio", "goal", "result"},
		{"1. single events over HTTP, 16 clients", "520 events/s", "3,700 tx/s (reference-event)", "0.14", "≥ 0.60", "FAIL"},
		{"   a fresh server's first 10 s", "470 events/s", "520 events/s (figure 1, warm)", "0.90", "≥ 0.90", "pass"},
		{"   latency p99 (p50)", "83.0 ms (20.0 ms)", "—", "—", "< 50 ms", "FAIL"},
		{"2. the same, 1,000,000 events stored", "500 events/s, 0.13 of 3,600 tx/s", "0.14 (figure 1)", "0.98", "≥ 0.90", "pass"},
		{"3. hot host: 1 × 500 guests completing", "250 events/s", "500 events/s (spread: 50 × 10)", "0.50", "≥ 0.50", "pass"},
		{"   exactly-once on the hot hosts", "completions 1…500, one reward each", "—", "—", "holds", "pass"},
		{"4. batches of 1,000 over HTTP, 4 clients", "40,000 events/s", "78,000 events/s (780 tx/s × 100)", "0.51", "≥ 0.50", "pass"},
		{"5. server peak memory (VmHWM)", "100 MB", "—", "—", "< 150 MB", "pass"},
		{"6. batches completing quests, 4 clients", "30,000 events/s", "78,000 events/s (780 tx/s × 100)", "0.38", "≥ 0.50", "FAIL"},
		{"   latency p99 per batch (p50)", "620.0 ms (300.0 ms)", "—", "—", "< 500 ms", "FAIL"},
		{"   PostgreSQL CPU a completion, 1,000 a batch", "390 µs", "—", "—", "< 400 µs", "pass"},
		{"   hot host: 1 × 5,000 completing in one tx", "700 µs a completion", "400 µs (spread: 50 × 100)", "1.75", "≤ 1.50", "FAIL"},
		{"   the same under review, every referral held", "420 µs a completion", "390 µs (no review)", "1.08", "≤ 1.10", "pass"},
		{"   exactly-once on the hot host", "completions 1…5,000, one reward each", "—", "—", "holds", "pass"},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	// Cells are separated by two spaces or more, and every column starts at
	// the same character (not byte) on every line.
	sep := regexp.MustCompile(`\S( {2,})`)
	var starts []int
	for i, l := range lines {
		var cells []string
		var at []int
		prev := 0
		for _, m := range sep.FindAllStringSubmatchIndex(l, -1) {
			cells = append(cells, l[prev:m[2]])
			prev = m[3]
			at = append(at, utf8.RuneCountInString(l[:prev]))
		}
		cells = append(cells, l[prev:])
		if !slices.Equal(cells, want[i]) {
			t.Errorf("line %d: %q\nwant %q", i, cells, want[i])
		}
		if i == 0 {
			starts = at
		} else if !slices.Equal(at, starts) {
			t.Errorf("line %d: columns at %v, want %v:\n%s", i, at, starts, out)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var r result
	for i := 1; i <= 100; i++ {
		r.latencies = append(r.latencies, time.Duration(101-i)*time.Millisecond)
	}
	if p50, p99 := r.percentile(50), r.percentile(99); p50 != 50*time.Millisecond || p99 != 99*time.Millisecond {
		t.Errorf("p50 %v, p99 %v; want 50ms, 99ms", p50, p99)
	}
	if (result{}).percentile(99) != 0 {
		t.Error("no latencies: want 0")
	}
}

// The first guests() events are every guest's first step once, the next
// guests() every guest's second, consecutive events on different hosts.
func TestCohortEvents(t *testing.T) {
	c := cohort{"x", 50, 10}
	seen := map[string]string{}
	for n := range c.completing() {
		guest, name := c.event(n)
		want := cycle[n/c.guests()]
		if name != want {
			t.Fatalf("event %d: %s, want %s", n, name, want)
		}
		if seen[guest] == name {
			t.Fatalf("event %d: %s sends %s twice", n, guest, name)
		}
		seen[guest] = name
	}
	if len(seen) != c.guests() {
		t.Fatalf("%d guests, want %d", len(seen), c.guests())
	}
	g0, _ := c.event(0)
	g1, _ := c.event(1)
	if g0 != c.guest(0) || g1 != c.guest(10) { // guest 10 is host 1's first
		t.Errorf("events 0, 1 go to %s, %s; want x-g-0 (host 0), x-g-10 (host 1)", g0, g1)
	}
}

func TestParsePgbench(t *testing.T) {
	const out = `pgbench (15.18 (Debian 15.18-0+deb12u1))
transaction type: reference-batch.sql
scaling factor: 1
query mode: simple
number of clients: 4
number of threads: 2
maximum number of tries: 1
duration: 10 s
number of transactions actually processed: 7800
number of failed transactions: 0 (0.000%)
latency average = 5.128 ms
initial connection time = 12.345 ms
tps = 780.000000 (without initial connection time)
`
	r, err := parsePgbench(out, 100)
	if err != nil {
		t.Fatal(err)
	}
	if r.events != 780_000 || r.elapsed != 10*time.Second || r.rate() != 78_000 {
		t.Errorf("%d events in %v (%.0f/s); want 780,000 in 10s", r.events, r.elapsed, r.rate())
	}
	if _, err := parsePgbench(strings.Replace(out, "failed transactions: 0", "failed transactions: 3", 1), 100); err == nil {
		t.Error("failed transactions: want an error")
	}
	if _, err := parsePgbench("connection refused", 1); err == nil {
		t.Error("no report: want an error")
	}
}

func TestInstantiateReferenceScripts(t *testing.T) {
	lowest := func(lo, hi int) int { return lo }
	got := instantiate(reference.Batch, lowest)
	want := []string{
		"begin",
		"select set_config('app.tenant_id', 1::text, true)",
		"insert into ref_events(tenant_id, participant_id, name, idem, payload)\nselect 1, 1 + g, 'signup_complete', md5(random()::text), '{\"a\":1}' from generate_series(0, 99) g",
		"update ref_progress set step = step + 1, updated_at = now() where tenant_id = 1 and participant_id between 1 and 1 + 99",
		"commit",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d statements %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("statement %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
	if got := instantiate(reference.Event, lowest); len(got) != 5 || got[3] != "update ref_progress set step = step + 1, updated_at = now() where tenant_id = 1 and participant_id = 1" {
		t.Errorf("reference-event: %q", got)
	}
}

// The hand-written JSON of an event is what encoding/json writes, plain
// ASCII or not.
func TestAppendEventIsJSON(t *testing.T) {
	for _, e := range []eventBody{
		{"batch-g-12", "page_view", "00ff00ff00ff00ff00ff00ff00ff00ff"},
		{`quote " back \ slash`, "tab\tnewline\n", "naïve ☃ \u2028"},
		{"<b>", "a&b", "x>y"},
	} {
		want, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendEvent(nil, e); string(got) != string(want) {
			t.Errorf("appendEvent(%q) = %s, want %s", e, got, want)
		}
	}
}
