package static

// A small reader for the CSS we write, enough for the accessibility tests
// (a11y_test.go): rules with their selectors and declarations, custom
// properties from :root, and the colour syntaxes the files use (#rgb,
// #rrggbb, rgb(), rgba(), a few names). It is not a general CSS parser:
// at-rules other than @media are skipped, and a value it cannot read as a
// colour is reported, never guessed.

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// cssRule is one rule: its comma-separated selectors and its declarations,
// property names lower-cased, values trimmed and without !important.
type cssRule struct {
	selectors []string
	decls     map[string]string
}

// sheet is a parsed style sheet and its custom properties.
type sheet struct {
	name  string
	rules []cssRule
	vars  map[string]string
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// parseSheet reads src. Rules inside @media count (a narrow screen must be
// readable too); @keyframes and other at-rules are skipped.
func parseSheet(name, src string) (*sheet, error) {
	s := &sheet{name: name, vars: map[string]string{}}
	src = cssComment.ReplaceAllString(src, "")
	if err := s.parseBlock(src); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, r := range s.rules {
		for _, sel := range r.selectors {
			if sel != ":root" {
				continue
			}
			for p, v := range r.decls {
				if strings.HasPrefix(p, "--") {
					s.vars[p] = v
				}
			}
		}
	}
	return s, nil
}

// parseBlock adds the rules in src, which holds rules and at-rules.
func (s *sheet) parseBlock(src string) error {
	for {
		open := strings.IndexByte(src, '{')
		if open < 0 {
			if strings.TrimSpace(src) != "" {
				return fmt.Errorf("text outside any rule: %q", strings.TrimSpace(src))
			}
			return nil
		}
		prelude := strings.TrimSpace(src[:open])
		end, err := matchingBrace(src, open)
		if err != nil {
			return err
		}
		body := src[open+1 : end]
		src = src[end+1:]
		switch {
		case strings.HasPrefix(prelude, "@media"):
			if err := s.parseBlock(body); err != nil {
				return err
			}
		case strings.HasPrefix(prelude, "@"):
			// @keyframes and the like hold no text colours.
		default:
			s.rules = append(s.rules, cssRule{selectors: splitSelectors(prelude), decls: parseDecls(body)})
		}
	}
}

// matchingBrace returns the index of the brace closing the one at open.
func matchingBrace(src string, open int) (int, error) {
	depth := 0
	for i := open; i < len(src); i++ {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unclosed block after %q", src[max(0, open-40):open])
}

// splitSelectors splits a selector list at the commas outside brackets.
func splitSelectors(prelude string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range prelude {
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, normalSpace(prelude[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, normalSpace(prelude[start:]))
}

func normalSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// parseDecls reads "prop: value; …". The files put no semicolons inside
// values (no data: URLs), which this relies on.
func parseDecls(body string) map[string]string {
	decls := map[string]string{}
	for _, d := range strings.Split(body, ";") {
		prop, value, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "!important"))
		decls[strings.ToLower(strings.TrimSpace(prop))] = value
	}
	return decls
}

var varRef = regexp.MustCompile(`var\((--[a-z0-9-]+)\s*(?:,\s*([^)]*))?\)`)

// resolve replaces var(--x) references with the :root values.
func (s *sheet) resolve(value string) string {
	for range 10 { // a variable may name another one
		if !strings.Contains(value, "var(") {
			return value
		}
		value = varRef.ReplaceAllStringFunc(value, func(ref string) string {
			m := varRef.FindStringSubmatch(ref)
			if v, ok := s.vars[m[1]]; ok {
				return v
			}
			return m[2]
		})
	}
	return value
}

// rgba is a colour with channels 0–255 and alpha 0–1.
type rgba struct{ r, g, b, a float64 }

func (c rgba) String() string {
	if c.a < 1 {
		return fmt.Sprintf("rgba(%.0f,%.0f,%.0f,%.2f)", c.r, c.g, c.b, c.a)
	}
	return fmt.Sprintf("#%02x%02x%02x", int(c.r), int(c.g), int(c.b))
}

var namedColours = map[string]rgba{
	"white": {255, 255, 255, 1},
	"black": {0, 0, 0, 1},
}

var rgbFunc = regexp.MustCompile(`^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$`)

// parseColour reads a resolved colour value; ok is false when the value is
// not a colour this reader knows.
func parseColour(v string) (rgba, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if c, ok := namedColours[v]; ok {
		return c, true
	}
	if strings.HasPrefix(v, "#") {
		h := v[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) != 6 {
			return rgba{}, false
		}
		n, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return rgba{}, false
		}
		return rgba{float64(n >> 16 & 0xff), float64(n >> 8 & 0xff), float64(n & 0xff), 1}, true
	}
	if m := rgbFunc.FindStringSubmatch(v); m != nil {
		c := rgba{a: 1}
		c.r, _ = strconv.ParseFloat(m[1], 64)
		c.g, _ = strconv.ParseFloat(m[2], 64)
		c.b, _ = strconv.ParseFloat(m[3], 64)
		if m[4] != "" {
			c.a, _ = strconv.ParseFloat(m[4], 64)
		}
		return c, true
	}
	return rgba{}, false
}

// over composites c on the opaque background bg.
func (c rgba) over(bg rgba) rgba {
	return rgba{
		r: c.r*c.a + bg.r*(1-c.a),
		g: c.g*c.a + bg.g*(1-c.a),
		b: c.b*c.a + bg.b*(1-c.a),
		a: 1,
	}
}

// luminance is the WCAG 2 relative luminance of an opaque colour.
func (c rgba) luminance() float64 {
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is the WCAG 2 contrast ratio of two opaque colours, 1 to 21.
func contrast(a, b rgba) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
