package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

// version is stamped at build time (-ldflags "-X main.version=v1.2.3", as
// the Dockerfile does from its VERSION argument); empty falls back to what
// Go recorded in the binary.
var version string

// buildVersion is the stamped version, else the module's version and the
// commit Go recorded (with "+dirty" for uncommitted changes), else "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := info.Main.Version
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		if modified == "true" {
			revision += "+dirty"
		}
		if v == "" || v == "(devel)" {
			return revision
		}
		return v + " (" + revision + ")"
	}
	if v == "" || v == "(devel)" {
		return "dev"
	}
	return v
}

// versionCmd prints the build's version.
func versionCmd(_ context.Context, _ Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "tandem", buildVersion())
	return nil
}
