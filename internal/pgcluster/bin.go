package pgcluster

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
)

// MinVersion is the oldest PostgreSQL major version the schema supports.
const MinVersion = 15

// errNoBinaries is one line on purpose: it is what a developer on a fresh
// machine sees first, and it must say what to install.
var errNoBinaries = errors.New("pgcluster: no PostgreSQL 15+ server binaries found in /usr/lib/postgresql/*/bin or on PATH; install them with: apt-get install postgresql-15 (or: apt-get install postgresql)")

// FindBinDir returns the directory holding the PostgreSQL server binaries:
// the highest /usr/lib/postgresql/N/bin with N >= 15, else the directory of
// pg_ctl on PATH if it is recent enough.
func FindBinDir() (string, error) {
	if dir := highestDebianBinDir("/usr/lib/postgresql"); dir != "" {
		return dir, nil
	}
	pgctl, err := exec.LookPath("pg_ctl")
	if err != nil {
		return "", errNoBinaries
	}
	// Distributions symlink pg_ctl into PATH; initdb and postgres live
	// beside the real file, not beside the link.
	if real, err := filepath.EvalSymlinks(pgctl); err == nil {
		pgctl = real
	}
	dir := filepath.Dir(pgctl)
	if !isFile(filepath.Join(dir, "postgres")) || !isFile(filepath.Join(dir, "initdb")) {
		return "", errNoBinaries
	}
	out, err := exec.Command(pgctl, "--version").Output()
	if err != nil || majorVersion(string(out)) < MinVersion {
		return "", errNoBinaries
	}
	return dir, nil
}

// highestDebianBinDir picks the newest major version in Debian's layout,
// where several versions may be installed side by side.
func highestDebianBinDir(root string) string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return ""
	}
	var versions []int
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil || n < MinVersion {
			continue
		}
		if isFile(filepath.Join(root, e.Name(), "bin", "postgres")) {
			versions = append(versions, n)
		}
	}
	if len(versions) == 0 {
		return ""
	}
	sort.Ints(versions)
	return filepath.Join(root, strconv.Itoa(versions[len(versions)-1]), "bin")
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// majorVersion reads the major version from "pg_ctl (PostgreSQL) 16.2".
func majorVersion(s string) int {
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago. The
// port may be taken again before it is used; that is rare enough for tests.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgcluster: find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
