package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuUse is the CPU time (user + system) each party spent during one
// measurement. On a machine whose cores are all busy, throughput is
// roughly cores over the sum per event; unlike events/s, the split barely
// moves with other work on the machine, so it says where a ratio is lost.
type cpuUse struct {
	postgres time.Duration // the postmaster and all its children: backends, WAL writer, checkpointer, …
	server   time.Duration // tandem serve (none for pgbench)
	client   time.Duration // the load generator: this process, or pgbench
}

func (u cpuUse) sub(v cpuUse) cpuUse {
	return cpuUse{u.postgres - v.postgres, u.server - v.server, u.client - v.client}
}

// perEvent divides each part by events.
func (u cpuUse) perEvent(events int) cpuUse {
	if events <= 0 {
		return cpuUse{}
	}
	n := time.Duration(events)
	return cpuUse{u.postgres / n, u.server / n, u.client / n}
}

func (u cpuUse) total() time.Duration { return u.postgres + u.server + u.client }

// cpuMeter reads the CPU time of the cluster, the server and this process
// from /proc.
type cpuMeter struct {
	dataDir string   // the cluster's, where postmaster.pid names the postmaster
	workers []string // a Citus cluster's workers' data directories, counted as PostgreSQL's too
	server  int      // tandem serve's pid, 0 before it starts
}

// read returns the CPU time spent so far. A backend that exited has been
// reaped by the postmaster, so its time is in the postmaster's cutime.
func (m cpuMeter) read() (cpuUse, error) {
	var use cpuUse
	for _, dir := range append([]string{m.dataDir}, m.workers...) {
		t, err := postgresTimes(dir)
		if err != nil {
			return cpuUse{}, err
		}
		use.postgres += t
	}
	if m.server != 0 {
		t, err := procTimes(m.server)
		if err != nil {
			return cpuUse{}, err
		}
		use.server = t.self
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuUse{}, err
	}
	use.client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return use, nil
}

// postgresTimes is the CPU time of the cluster whose data directory is
// dataDir (clusterTimes of its postmaster).
func postgresTimes(dataDir string) (time.Duration, error) {
	pidFile, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0, fmt.Errorf("read postmaster.pid: %w", err)
	}
	postmaster, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(pidFile), "\n", 2)[0]))
	if err != nil {
		return 0, fmt.Errorf("postmaster.pid: %w", err)
	}
	return clusterTimes(postmaster)
}

// clusterTimes is the CPU time of the postmaster and all its children, the
// reaped ones (its cutime) and the live ones. A backend reaped between the
// two readings would count in neither: right after pgbench ends, its
// backends exit by the dozen, and one reading put PostgreSQL's CPU for the
// reference event at 34 µs a transaction, where it is 500–850.
// So the postmaster is read before and after the children, and the whole
// is read again until no child was reaped in between.
func clusterTimes(postmaster int) (time.Duration, error) {
	for range 100 {
		before, err := procTimes(postmaster)
		if err != nil {
			return 0, err
		}
		sum := before.self + before.children
		dirs, err := os.ReadDir("/proc")
		if err != nil {
			return 0, err
		}
		for _, d := range dirs {
			pid, err := strconv.Atoi(d.Name())
			if err != nil {
				continue
			}
			t, err := procTimes(pid)
			if err != nil || t.parent != postmaster {
				continue // gone since the listing, or not a backend
			}
			sum += t.self
		}
		after, err := procTimes(postmaster)
		if err != nil {
			return 0, err
		}
		if after.children == before.children {
			return sum, nil
		}
	}
	return 0, errors.New("cpu: PostgreSQL's children kept exiting during 100 readings")
}

// procStat is what /proc/<pid>/stat says of a process's CPU time.
type procStat struct {
	parent         int
	self, children time.Duration
}

func procTimes(pid int) (procStat, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// the fields that follow are counted from its closing parenthesis.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	// f[0] is field 3 (state): ppid is field 4, utime … cstime fields 14 … 17.
	var n [5]int64
	for i, field := range []int{4, 14, 15, 16, 17} {
		if n[i], err = strconv.ParseInt(f[field-3], 10, 64); err != nil {
			return procStat{}, fmt.Errorf("/proc/%d/stat field %d: %w", pid, field, err)
		}
	}
	return procStat{parent: int(n[0]), self: time.Duration(n[1]+n[2]) * clockTick,
		children: time.Duration(n[3]+n[4]) * clockTick}, nil
}

// printCPU prints the CPU per event of figures 1, 2 and 4 and of their
// references, by party.
func printCPU(out io.Writer, f figures) {
	fmt.Fprintln(out, "\nCPU per event during figures 1, 2, 4 and 6, their references and the cold start (all processes, user + system; µs):")
	fmt.Fprintf(out, "  %-34s %9s %9s %9s %9s\n", "", "postgres", "server", "client", "total")
	for _, l := range []struct {
		what string
		res  result
	}{
		{"reference-event.sql (pgbench)", f.refEvent},
		{"1. single events over HTTP", f.single},
		{"   a fresh server's first seconds", f.cold},
		{"reference-event.sql, again", f.refGrown},
		{"2. the same, events stored", f.grown},
		{"reference-batch.sql (pgbench)", f.refBatch},
		{"4. batches of 1,000 over HTTP", f.batch},
		{"6. batches completing quests", f.completing},
	} {
		u := l.res.cpu.perEvent(l.res.events)
		fmt.Fprintf(out, "  %-34s %9.1f %9.1f %9.1f %9.1f\n", l.what, micros(u.postgres), micros(u.server), micros(u.client), micros(u.total()))
	}
}
