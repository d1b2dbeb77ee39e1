package main

import (
	"os"
	"runtime/debug"
)

// Garbage collection as serve runs it, unless GOGC or GOMEMLIMIT in the
// environment say otherwise.
const (
	// serveGCPercent lets the heap grow to five times what is live before
	// the collector runs, rather than Go's default of twice. A batch of
	// 1,000 events allocates roughly half a megabyte (its body, the
	// decoded events, the answer) that dies with its request; collecting
	// it less often, and handing its memory back to the kernel less often
	// (each madvise interrupts the other core to flush its TLB), cut the
	// server's CPU per event under make bench's batches from 7.2–9.6 µs to
	// 4.1–6.1.
	serveGCPercent = 400
	// serveMemoryLimit bounds what that costs: past it the collector runs
	// as often as it must to stay under (the server is to stay under
	// 150 MB resident, docs/performance.md). These two are the collector's
	// only figures: fly.toml and the documents refer here.
	serveMemoryLimit = 100 << 20
)

// tuneGC sets serve's collector: a soft memory limit and a higher GC
// percentage, each only when the environment does not set it.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
