package e2e

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Time limits. Every browser action gets stepTimeout; the whole browser
// lives at most browserTimeout.
const (
	stepTimeout    = 20 * time.Second
	browserTimeout = 4 * time.Minute
)

// The window: a laptop's.
const (
	viewportWidth  = 1280
	viewportHeight = 900
)

// cspBinding is the function that the devtools protocol adds to every page
// (Runtime.addBinding): the securitypolicyviolation listener, injected by the
// protocol too (Page.addScriptToEvaluateOnNewDocument), reports through it.
// Neither is part of the page, so neither needs the page's CSP to allow it.
const cspBinding = "__tandemE2ECSPViolation"

const cspListener = `document.addEventListener("securitypolicyviolation", function (e) {
	window.` + cspBinding + `(JSON.stringify({directive: e.violatedDirective, blocked: e.blockedURI,
		source: e.sourceFile, line: e.lineNumber, sample: e.sample}));
}, true);`

// chrome is one headless Chromium tab on the console, and what it saw
// going wrong: console errors, uncaught exceptions, CSP violations and
// failed requests that the test did not announce.
type chrome struct {
	t    *testing.T
	ctx  context.Context // the tab; each action takes a bounded child
	base string
	out  string
	shot int

	mu       sync.Mutex
	problems []string
	// failedLoads are "Failed to load resource" log entries, judged at the
	// next check against the responses seen and the failures announced.
	failedLoads []*log.Entry
	// status holds every HTTP status answered for each URL, in order: a
	// URL asked again (a widget retrying with a fresh token) must not hide
	// the failure announced for its first answer.
	status map[string][]int64
	// expected are the announced failures: path → status.
	expected map[string]int64
	// dialogs are the confirmations announced by expectDialog, in order:
	// the start of each one's message.
	dialogs []string
}

// newChrome starts Chromium headless as the probe on these machines does
// (no sandbox as root, no GPU, no background networking: the machine's
// network is closed) with a fresh profile, and opens one tab.
func newChrome(t *testing.T, execPath, base string) *chrome {
	t.Helper()
	c := &chrome{t: t, base: base, out: outputDir(t), status: map[string][]int64{}, expected: map[string]int64{}}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(viewportWidth, viewportHeight),
	)
	root, cancelRoot := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(c.listen))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelRoot()
	})
	c.ctx = tab

	// The first action starts the browser; its lifetime is root's.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start chromium %s: %v", execPath, err)
	}
	c.call(func(ctx context.Context) error {
		if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: cspBinding}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
		return err
	}, "install the CSP violation listener")
	return c
}

// listen runs in the tab's message loop for every event: it only records.
func (c *chrome) listen(ev any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			c.problems = append(c.problems, "console."+string(ev.Type)+": "+remoteText(ev.Args))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		c.problems = append(c.problems, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
	case *log.EventEntryAdded:
		e := ev.Entry
		switch {
		case e.Source == log.EntrySourceSecurity && e.Level != log.EntryLevelVerbose:
			c.problems = append(c.problems, "security ("+string(e.Level)+"): "+e.Text)
		case e.Level == log.EntryLevelError && strings.HasPrefix(e.Text, "Failed to load resource"):
			c.failedLoads = append(c.failedLoads, e)
		case e.Level == log.EntryLevelError:
			c.problems = append(c.problems, "browser log ("+string(e.Source)+"): "+e.Text+" "+e.URL)
		}
	case *runtime.EventBindingCalled:
		if ev.Name == cspBinding {
			c.problems = append(c.problems, "CSP violation: "+ev.Payload)
		}
	case *network.EventResponseReceived:
		c.status[ev.Response.URL] = append(c.status[ev.Response.URL], ev.Response.Status)
	case *page.EventJavascriptDialogOpening:
		// A dialog nobody announced is a problem; either way it is
		// accepted, so that the page does not hang.
		if len(c.dialogs) > 0 && strings.HasPrefix(ev.Message, c.dialogs[0]) {
			c.dialogs = c.dialogs[1:]
		} else {
			c.problems = append(c.problems, "unexpected "+string(ev.Type)+" dialog: "+ev.Message)
		}
		go chromedp.Call(c.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
	}
}

func remoteText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// expectFailure announces that the next response for path fails with
// status on purpose (a form answered with its errors): the browser's
// "Failed to load resource" error for it is then not a problem.
func (c *chrome) expectFailure(path string, status int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expected[path] = status
}

// expectDialog announces that the next dialog asks a question starting
// with message (a destructive action's confirmation), which is accepted.
func (c *chrome) expectDialog(message string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dialogs = append(c.dialogs, message)
}

var failedStatus = regexp.MustCompile(`status of (\d{3})`)

// checkClean fails the test with every problem seen since the last check.
// A "Failed to load resource" error passes only when the response really
// had the status announced for its path by expectFailure; a dialog
// announced by expectDialog that never came is a problem too.
func (c *chrome) checkClean(where string) {
	c.t.Helper()
	c.mu.Lock()
	problems := c.problems
	for _, e := range c.failedLoads {
		if !c.announcedLocked(e) {
			problems = append(problems, fmt.Sprintf("%s %s (statuses %v)", e.Text, e.URL, c.status[e.URL]))
		}
	}
	for _, d := range c.dialogs {
		problems = append(problems, "the dialog announced never came: "+d)
	}
	c.problems, c.failedLoads, c.dialogs = nil, nil, nil
	c.mu.Unlock()
	for _, p := range problems {
		c.t.Errorf("%s: %s", where, p)
	}
	if len(problems) > 0 {
		c.t.FailNow()
	}
}

func (c *chrome) announcedLocked(e *log.Entry) bool {
	u, err := url.Parse(e.URL)
	if err != nil {
		return false
	}
	want, ok := c.expected[u.Path]
	m := failedStatus.FindStringSubmatch(e.Text)
	if !ok || m == nil || m[1] != strconv.FormatInt(want, 10) || !slices.Contains(c.status[e.URL], want) {
		return false
	}
	delete(c.expected, u.Path)
	c.t.Logf("expected failure: %s %s", e.Text, e.URL)
	return true
}

// call runs fn with a bounded context of the tab, failing the test with
// what it was doing.
func (c *chrome) call(fn func(ctx context.Context) error, doing string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	if err := fn(ctx); err != nil {
		c.checkClean(doing)
		c.t.Fatalf("%s: %v", doing, err)
	}
}

// do runs browser actions, bounded.
func (c *chrome) do(doing string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	c.call(func(ctx context.Context) error { return chromedp.Do(ctx, actions...) }, doing)
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](c *chrome, expr string) T {
	c.t.Helper()
	var v T
	c.call(func(ctx context.Context) error {
		var err error
		v, err = chromedp.Run(ctx, chromedp.Evaluate[T](expr))
		return err
	}, "evaluate "+expr)
	return v
}

// testid is the CSS selector of data-testid id.
func testid(id string) string { return `[data-testid="` + id + `"]` }

// open loads a console page by path and waits until it is ready.
func (c *chrome) open(path string) {
	c.t.Helper()
	c.do("open "+path, chromedp.Navigate(c.base+path))
	c.waitReady("open " + path)
}

// click clicks the element (a real mouse click at its centre) and waits for
// what it started, a request of htmx or a new page, to settle.
func (c *chrome) click(sel string) {
	c.t.Helper()
	c.press(sel)
	c.waitReady("after clicking " + sel)
}

// press scrolls the element to the middle of the window, checks that
// nothing covers its centre (a person could not click it otherwise), and
// clicks there with the mouse.
func (c *chrome) press(sel string) {
	c.t.Helper()
	c.mustSee(sel, "something to click")
	covered := eval[string](c, fmt.Sprintf(`(function () {
		var e = document.querySelector(%q);
		e.scrollIntoView({block: "center", inline: "center"});
		var r = e.getBoundingClientRect();
		var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (!hit || hit === e || e.contains(hit) || hit.contains(e)) { return ""; }
		return hit.outerHTML.slice(0, 160);
	})()`, sel))
	if covered != "" {
		c.screenshot("assert-failed")
		c.t.Fatalf("cannot click %s: its centre is covered by %s", sel, covered)
	}
	c.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// clickAndLoad clicks something that loads a new page (a link, a plain
// form, or htmx answering with HX-Redirect) and waits for that page.
func (c *chrome) clickAndLoad(sel, wantPath string) {
	c.t.Helper()
	// Mark the document, to know when another has replaced it (the new
	// page can have the same path, as a form answered in place).
	eval[bool](c, `(window.__e2eOldPage = true)`)
	c.press(sel)
	c.waitFor(fmt.Sprintf("!window.__e2eOldPage && location.pathname === %q", wantPath), "the page "+wantPath+" after clicking "+sel)
	c.waitReady("load " + wantPath)
}

// fill replaces the value of a text input by typing, so that the page sees
// the input and change events a person causes.
func (c *chrome) fill(sel, value string) {
	c.t.Helper()
	c.mustSee(sel, "a field to fill")
	// Empty it as select-all and delete would (chromedp.Clear resets the
	// value attribute, which no longer shows once a field was typed in).
	eval[bool](c, fmt.Sprintf(`(function () {
		var e = document.querySelector(%q);
		e.focus();
		e.value = "";
		e.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`, sel))
	actions := []chromedp.Action[chromedp.Void]{chromedp.Blur(chromedp.CSS(sel))}
	if value != "" {
		actions = append([]chromedp.Action[chromedp.Void]{chromedp.SendKeys(chromedp.CSS(sel), value)}, actions...)
	}
	c.do("fill "+sel, actions...)
}

// choose picks an option of a select by value, as a person does: the
// select changes and says so.
func (c *chrome) choose(sel, value string) {
	c.t.Helper()
	ok := eval[bool](c, fmt.Sprintf(`(function () {
		var s = document.querySelector(%q);
		if (!s || ![].some.call(s.options, function (o) { return o.value === %q; })) { return false; }
		s.focus();
		s.value = %q;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, sel, value, value))
	if !ok {
		c.t.Fatalf("choose %q in %s: no such select or option", value, sel)
	}
}
