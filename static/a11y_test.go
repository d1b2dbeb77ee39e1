package static

// The accessibility checks on the style sheets (WCAG 2.2 level AA):
//
//   - 1.4.3 Contrast (minimum): every text colour a rule sets is at least
//     4.5:1 against the background it sits on, large text included (the
//     stricter bar keeps the rule simple).
//   - 1.4.1 Use of colour: a link inside text whose colour is within 3:1 of
//     the link colour is underlined, so colour is not the only cue.
//
// The sheets are read by the small parser in css_test.go. Which background
// a rule's text sits on is what the markup decides, so each sheet names its
// surfaces below: the backgrounds text may sit on when the rule sets none,
// and the regions (the console's sidebar) whose own background replaces
// them.

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// aaText is the WCAG AA minimum for text; linkApart is how far a link's
// colour must be from the text around it to need no other cue.
const (
	aaText    = 4.5
	linkApart = 3.0
)

// surfaces describes where a sheet's text sits.
type surfaces struct {
	// light is every background text may sit on when its rule sets none:
	// the page, panels, and the tinted callouts, flashes and cards.
	light []string
	// regions maps a class to its background for the rules whose selector
	// starts with that class (the console's dark sidebar).
	regions map[string]string
	// behind lists backgrounds the markup pairs with a rule that sets the
	// text colour but leaves the background to sibling classes
	// (`.method` with `.method-get`, …).
	behind map[string][]string
}

var sheets = map[string]surfaces{
	"console.css": {
		light: []string{"--paper", "--ground", "--info-soft", "--success-soft", "--danger-soft", "--accent-soft"},
		regions: map[string]string{
			".sidebar": "--sidebar", ".sidebar-brand": "--sidebar", ".nav": "--sidebar",
			".nav-heading": "--sidebar", ".account": "--sidebar",
		},
	},
	"invite.css": {light: []string{"--paper", "--ground"}},
	"api-docs.css": {
		light:  []string{"--paper", "--ground", "--code"},
		behind: map[string][]string{".method": {"--get", "--post", "--put", "--delete"}},
	},
}

// inactive matches selectors for disabled controls, which WCAG exempts.
var inactive = regexp.MustCompile(`:disabled|\[aria-disabled`)

// fontProps tells SVG text (fill with a font property) from shapes.
var fontProps = []string{"font", "font-size", "font-weight", "font-family"}

// A textPair is a text colour on one background, with where it came from.
type textPair struct {
	selector string
	fg, bg   rgba
	bgName   string
}

// textPairs returns every text colour of s on every background it may sit on.
func textPairs(t *testing.T, s *sheet, surf surfaces) []textPair {
	t.Helper()
	colour := func(where, v string) rgba {
		c, ok := parseColour(s.resolve(v))
		if !ok {
			t.Fatalf("%s: %s: %q is not a colour this test reads", s.name, where, v)
		}
		return c
	}
	var pairs []textPair
	for _, r := range s.rules {
		fgValue, ok := r.decls["color"]
		if !ok && hasAny(r.decls, fontProps) {
			fgValue, ok = r.decls["fill"]
		}
		if !ok || fgValue == "inherit" || fgValue == "currentColor" || fgValue == "none" {
			continue
		}
		for _, sel := range r.selectors {
			if inactive.MatchString(sel) {
				continue
			}
			fg := colour(sel, fgValue)
			if op, ok := r.decls["opacity"]; ok {
				var a float64
				if _, err := fmt.Sscan(op, &a); err != nil {
					t.Fatalf("%s: %s: opacity %q: %v", s.name, sel, op, err)
				}
				fg.a *= a
			}
			// The backgrounds under the rule's own (which may be see-through).
			var under []string
			switch {
			case surf.behind[sel] != nil:
				under = surf.behind[sel]
			case surf.regions[firstClass(sel)] != "":
				under = []string{surf.regions[firstClass(sel)]}
			default:
				under = surf.light
			}
			own, hasOwn := r.decls["background"]
			if !hasOwn {
				own, hasOwn = r.decls["background-color"]
			}
			if own == "none" || own == "transparent" {
				hasOwn = false
			}
			for _, name := range under {
				bg := colour(sel+" (surface)", "var("+name+")")
				bgName := name
				if hasOwn {
					bg = colour(sel+" background", own).over(bg)
					bgName = own + " over " + name
				}
				pairs = append(pairs, textPair{selector: sel, fg: fg.over(bg), bg: bg, bgName: bgName})
			}
		}
	}
	return pairs
}

func TestTextContrastMeetsAA(t *testing.T) {
	for name, surf := range sheets {
		s := readSheet(t, name)
		pairs := textPairs(t, s, surf)
		if len(pairs) == 0 {
			t.Fatalf("%s: no text colours found: the parser is broken", name)
		}
		for _, p := range pairs {
			if r := contrast(p.fg, p.bg); r < aaText {
				t.Errorf("%s: %s: text %s on %s (%s) is %.2f:1, under %.1f:1",
					name, p.selector, p.fg, p.bg, p.bgName, r, aaText)
			}
		}
	}
}

// singleClass matches a selector that is one class: the text classes
// (.muted, .hint, …) that wrap running text, and so links.
var singleClass = regexp.MustCompile(`^\.[a-z][a-z0-9-]*$`)

// isMuted reports whether fg is muted text: a grey lighter than the body
// text. Coloured text (errors, badges) is not: a link inside it is a
// different hue.
func isMuted(fg, body rgba) bool {
	hi := max(fg.r, fg.g, fg.b)
	lo := min(fg.r, fg.g, fg.b)
	return hi-lo < 40 && fg.luminance() > body.luminance()
}

func TestLinksInMutedTextAreUnderlined(t *testing.T) {
	for name, surf := range sheets {
		s := readSheet(t, name)
		link, ok := findRule(s, "a")
		if !ok {
			continue // links keep the browser's colour and underline
		}
		linkColour, ok := parseColour(s.resolve(link.decls["color"]))
		if !ok {
			t.Fatalf("%s: the a rule's colour %q is not readable", name, link.decls["color"])
		}
		body, ok := parseColour(s.resolve("var(--ink)"))
		if !ok {
			t.Fatalf("%s: no --ink for the body text", name)
		}
		baseUnderlined := !strings.Contains(link.decls["text-decoration"], "none")
		checked := 0
		for _, r := range s.rules {
			fgValue, ok := r.decls["color"]
			if !ok {
				continue
			}
			for _, sel := range r.selectors {
				if !singleClass.MatchString(sel) || surf.regions[sel] != "" {
					continue
				}
				fg, ok := parseColour(s.resolve(fgValue))
				if !ok || !isMuted(fg, body) || contrast(fg, linkColour) >= linkApart {
					continue
				}
				checked++
				if !baseUnderlined && !underlinesLinksIn(s, sel) {
					t.Errorf("%s: links inside %s are %.2f:1 from its text and not underlined: add `%s a:not(.button)` to the rule that underlines them",
						name, sel, contrast(fg, linkColour), sel)
				}
			}
		}
		if name == "console.css" && checked == 0 {
			t.Fatal("console.css: no muted text class found: the test checks nothing")
		}
	}
}

// underlinesLinksIn reports whether a rule underlines the links (other
// than buttons) inside the elements sel matches.
func underlinesLinksIn(s *sheet, sel string) bool {
	for _, r := range s.rules {
		if !strings.Contains(r.decls["text-decoration"], "underline") {
			continue
		}
		for _, rs := range r.selectors {
			if rs == sel+" a" || rs == sel+" a:not(.button)" {
				return true
			}
		}
	}
	return false
}

// TestCheckerCatchesLowContrast keeps the checks honest: the auditor's
// findings, written back into a sheet, must fail.
func TestCheckerCatchesLowContrast(t *testing.T) {
	s, err := parseSheet("bad.css", `
		:root { --faint: #8a91a0; --paper: #fff; --muted: #626a7a; --accent: #3457d5; }
		a { color: var(--accent); text-decoration: none; }
		.step-name { color: var(--faint); }
		.muted { color: var(--muted); }`)
	if err != nil {
		t.Fatal(err)
	}
	pairs := textPairs(t, s, surfaces{light: []string{"--paper"}})
	found := false
	for _, p := range pairs {
		if p.selector == ".step-name" {
			found = true
			if r := contrast(p.fg, p.bg); r > 3.17 || r < 3.15 {
				t.Errorf("#8a91a0 on white is %.2f:1, want 3.16:1", r)
			}
		}
	}
	if !found {
		t.Error(".step-name was not checked")
	}
	muted, _ := parseColour("#626a7a")
	accent, _ := parseColour("#3457d5")
	if r := contrast(muted, accent); r > 1.12 || r < 1.10 {
		t.Errorf("link against muted text is %.2f:1, want 1.11:1", r)
	}
	if underlinesLinksIn(s, ".muted") {
		t.Error("a sheet without the underline rule passes")
	}
}

func readSheet(t *testing.T, name string) *sheet {
	t.Helper()
	b, err := fs.ReadFile(files, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseSheet(name, string(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func findRule(s *sheet, selector string) (cssRule, bool) {
	for _, r := range s.rules {
		for _, sel := range r.selectors {
			if sel == selector {
				if _, ok := r.decls["color"]; ok {
					return r, true
				}
			}
		}
	}
	return cssRule{}, false
}

// firstClass returns the class a selector starts with, if any.
func firstClass(sel string) string {
	if !strings.HasPrefix(sel, ".") {
		return ""
	}
	end := strings.IndexAny(sel[1:], " .:[>+~")
	if end < 0 {
		return sel
	}
	return sel[:end+1]
}

func hasAny(decls map[string]string, props []string) bool {
	for _, p := range props {
		if _, ok := decls[p]; ok {
			return true
		}
	}
	return false
}
