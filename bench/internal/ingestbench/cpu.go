package ingestbench

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// On two cores the client and the server share the CPUs, so every client
// CPU-second is one the server does not get: the report shows both.

// OwnCPU returns the CPU time this process has used, user and system.
func OwnCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MachineCPU returns the busy CPU time of the whole machine since boot
// (Linux /proc/stat, in USER_HZ = 1/100 s ticks), or 0 where it cannot tell.
func MachineCPU() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0
	}
	var ticks int64
	// user nice system idle iowait irq softirq steal: all but idle and iowait.
	for i, f := range fields[1:9] {
		if i == 3 || i == 4 {
			continue
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// ProcessCPU returns the CPU time process pid has used, user and system
// (Linux /proc/<pid>/stat, in USER_HZ ticks), or 0 where it cannot tell.
func ProcessCPU(pid int) time.Duration {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// count fields from the last ")". utime and stime are fields 14 and 15.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// procStat reads /proc/<pid>/stat: the process's parent, the CPU it used
// (user and system) and the CPU its waited-for children used.
func procStat(pid int) (ppid int, self, children time.Duration, ok bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, 0, false
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 15 {
		return 0, 0, 0, false
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	// Fields from 3 (state): ppid 4, utime 14, stime 15, cutime 16, cstime 17.
	tick := 10 * time.Millisecond
	return int(n(1)), time.Duration(n(11)+n(12)) * tick, time.Duration(n(13)+n(14)) * tick, true
}

// treeCPU returns the CPU time used by process pid, by its children that
// have exited (and were waited for), and by its living children: for the
// postmaster, all of PostgreSQL — backends, background writers,
// autovacuum. 0 where it cannot tell.
func treeCPU(pid int) time.Duration {
	_, self, children, ok := procStat(pid)
	if !ok {
		return 0
	}
	total := self + children
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil || child == pid {
			continue
		}
		if ppid, self, _, ok := procStat(child); ok && ppid == pid {
			total += self
		}
	}
	return total
}
