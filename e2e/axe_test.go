package e2e

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeScript is axe-core, pinned in e2e/axe/package.json and installed by
// npm ci (.ci/run): the checker of accessibility rules run on every page
// the widths test measures.
var axeScript = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("axe/node_modules/axe-core/axe.min.js")
	return string(b), err
})

// axeTimeout bounds one page's check.
const axeTimeout = 2 * time.Minute

// axeViolation is one rule a page breaks, with where.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAxe runs axe-core on the page (into shadow roots too, as axe does)
// and fails the test with each violation. The script is evaluated through
// the DevTools protocol, which no page's CSP restricts.
func (c *chrome) checkAxe(t *testing.T, where string) {
	t.Helper()
	script, err := axeScript()
	if err != nil {
		t.Fatalf("axe-core is not installed (npm ci --prefix e2e/axe): %v", err)
	}
	// A long page (the API reference) takes axe longer than a step.
	ctx, cancel := context.WithTimeout(c.ctx, axeTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.axe ? true : (function () {`+script+`; return true; })()`)); err != nil {
		t.Fatalf("load axe on %s: %v", where, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
		return r.violations.map(function (v) {
			return {id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" >>> "); })};
		});
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe on %s: %v", where, err)
	}
	for _, v := range violations {
		t.Errorf("axe on %s: %s (%s): %s at %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
	}
}
