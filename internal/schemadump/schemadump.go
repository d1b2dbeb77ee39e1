// Package schemadump prints a database's schema as pg_dump does, made
// stable: what varies between two dumps of the same schema (the dump's
// version header, its session settings, the random key of \restrict, the
// order in which privileges were granted) is left out or sorted, so that
// two databases with the same schema print the same text.
package schemadump

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tandemhq/tandem/internal/pgcluster"
)

// Dump returns the normalised schema of the database at url, dumped by the
// pg_dump of the PostgreSQL the tests run on (pgcluster.FindBinDir).
func Dump(ctx context.Context, url string) (string, error) {
	bin, err := pgcluster.FindBinDir()
	if err != nil {
		return "", err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_dump"), "--schema-only", "--dbname", url)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("schemadump: pg_dump: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return Normalise(stdout.String()), nil
}

// Normalise drops the lines of a pg_dump that vary while the schema does
// not, and sorts each run of GRANT and REVOKE lines (the order of a
// privilege list follows the order of the grants, which differs between a
// database migrated from scratch and one that took the same steps in
// another order), REVOKE first, as pg_dump writes them.
func Normalise(dump string) string {
	var out []string
	var acl []string
	flush := func() {
		slices.SortStableFunc(acl, func(a, b string) int {
			if ra, rb := strings.HasPrefix(a, "REVOKE "), strings.HasPrefix(b, "REVOKE "); ra != rb {
				if ra {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
		out = append(out, acl...)
		acl = acl[:0]
	}
	for _, line := range strings.Split(dump, "\n") {
		switch {
		case varies(line):
			continue
		case strings.HasPrefix(line, "GRANT ") || strings.HasPrefix(line, "REVOKE "):
			acl = append(acl, line)
			continue
		}
		flush()
		// Dropped lines leave their blank neighbours: keep one.
		if line == "" && len(out) > 0 && out[len(out)-1] == "" {
			continue
		}
		out = append(out, line)
	}
	flush()
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

// varies says whether a line of a dump changes between two dumps of one
// schema: the versions of the server and of pg_dump, the settings pg_dump
// opens its session with, and the random key of psql's \restrict.
func varies(line string) bool {
	for _, prefix := range []string{"-- Dumped from ", "-- Dumped by ", `\restrict `, `\unrestrict `, "SET ", "SELECT pg_catalog.set_config("} {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return false
}
