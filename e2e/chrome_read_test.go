package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// waitFor waits until the JavaScript condition holds, across page loads
// (an evaluation during a navigation fails and is tried again).
func (c *chrome) waitFor(cond, what string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	var lastErr error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		if err == nil && ok {
			return
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			c.checkClean("waiting for " + what)
			c.screenshot("timeout")
			c.t.Fatalf("timed out waiting for %s (%s); last error: %v; page: %s", what, cond, lastErr, c.location())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// htmxIdle holds when the page has loaded, htmx is there and nothing of
// htmx is in flight or settling.
const htmxIdle = `document.readyState === "complete" && !!window.htmx &&
	!document.querySelector(".htmx-request, .htmx-settling, .htmx-swapping, .htmx-added")`

// waitReady waits for the page to load and htmx to settle, twice in a row
// a little apart (htmx settles in steps of a few milliseconds).
func (c *chrome) waitReady(what string) {
	c.t.Helper()
	c.waitFor(htmxIdle, "htmx to settle: "+what)
	c.do("pause", chromedp.Sleep(60*time.Millisecond))
	c.waitFor(htmxIdle, "htmx to settle: "+what)
}

// location is the page's URL, for messages.
func (c *chrome) location() string {
	ctx, cancel := context.WithTimeout(c.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return loc
}

// text is the trimmed text of the first element matching sel, "" when
// there is none.
func (c *chrome) text(sel string) string {
	c.t.Helper()
	return strings.TrimSpace(eval[string](c, fmt.Sprintf(`(function () {
		var e = document.querySelector(%q);
		return e ? e.textContent.replace(/\s+/g, " ") : "";
	})()`, sel)))
}

// attr is an attribute of the first element matching sel, "" when there is
// none.
func (c *chrome) attr(sel, name string) string {
	c.t.Helper()
	return eval[string](c, fmt.Sprintf(`(function () {
		var e = document.querySelector(%q);
		return (e && e.getAttribute(%q)) || "";
	})()`, sel, name))
}

// count is how many elements match sel.
func (c *chrome) count(sel string) int {
	c.t.Helper()
	return eval[int](c, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// assertText fails unless the first element matching sel contains want.
func (c *chrome) assertText(sel, want string) {
	c.t.Helper()
	if got := c.text(sel); !strings.Contains(got, want) {
		c.screenshot("assert-failed")
		c.t.Fatalf("%s on %s: text %q, want it to contain %q", sel, c.location(), got, want)
	}
}

// mustSee fails unless sel is on the page (waiting for it a little).
func (c *chrome) mustSee(sel, why string) {
	c.t.Helper()
	c.waitFor(fmt.Sprintf("document.querySelector(%q)", sel), why+" ("+sel+")")
}

// screenshot saves the page as it is, whole, under the output folder, and
// checks that the page has shown no problem so far.
func (c *chrome) screenshot(name string) {
	c.t.Helper()
	c.shot++
	file := filepath.Join(c.out, fmt.Sprintf("%02d-%s.png", c.shot, name))
	// A page wider than the window makes a person scroll sideways: worth
	// saying, though it fails nothing.
	if over := eval[int64](c, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		c.t.Logf("layout: %s is %dpx wider than a %dpx window", c.location(), over, viewportWidth)
	}
	// The window grows to the page's height for the picture, so that what
	// sticks to the window's edges (the sidebar, the editor's save bar) is
	// drawn where a person scrolling would see it.
	height := eval[int64](c, `Math.max(document.documentElement.scrollHeight, 1000)`)
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, height), chromedp.Sleep(100*time.Millisecond))
	var png []byte
	if err == nil {
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if rerr := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, viewportHeight)); err == nil {
		err = rerr
	}
	if err == nil {
		err = os.WriteFile(file, png, 0o644)
	}
	if err != nil {
		c.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	c.t.Logf("screenshot: %s", file)
	if name != "timeout" && name != "assert-failed" {
		c.checkClean(name)
	}
}
