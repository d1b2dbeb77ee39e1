// Command widgetjs builds the embeddable widget: it bundles and minifies
// widgetjs/src (plain modern JavaScript, no dependencies) into
// static/widget.js with esbuild's Go API, so that no node is needed. The
// output is committed; `make test` rebuilds it and fails on a difference,
// as it does for templ.
//
//	go run ./widgetjs        # from the module's root
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/evanw/esbuild/pkg/api"
)

func main() {
	entry := flag.String("entry", "widgetjs/src/main.js", "the bundle's entry point")
	out := flag.String("o", "static/widget.js", "where to write the bundle")
	flag.Parse()
	if err := build(*entry, *out); err != nil {
		fmt.Fprintln(os.Stderr, "widgetjs:", err)
		os.Exit(1)
	}
}

func build(entry, out string) error {
	result := api.Build(api.BuildOptions{
		EntryPoints:       []string{entry},
		Bundle:            true,
		Format:            api.FormatIIFE,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		Banner:            map[string]string{"js": "/* Tandem referral widget: built from widgetjs/src by `go run ./widgetjs`; do not edit. */"},
		LogLevel:          api.LogLevelWarning,
	})
	if len(result.Errors) > 0 {
		msgs := api.FormatMessages(result.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return fmt.Errorf("build %s: %s", entry, msgs)
	}
	if len(result.OutputFiles) != 1 {
		return fmt.Errorf("build %s: %d output files, want 1", entry, len(result.OutputFiles))
	}
	return os.WriteFile(out, result.OutputFiles[0].Contents, 0o644)
}
