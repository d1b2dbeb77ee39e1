// Package addrlimit counts requests per client address in this process, for
// the doors that must be cheap to refuse before they cost anything: public
// pages anyone may request (/i/{code}, sign-up) and API keys no one has
// verified yet (an unknown key would cost an argon2id hash). Unlike
// internal/ratelimit/keylimit, which shares a verified key's quota across machines
// through the database, these counts stay in memory: an address flooding
// one machine is refused by that machine, at no cost to the database.
package addrlimit

import (
	"sync"
	"time"
)

// maxAddresses bounds the memory the counts take. Past it, addresses not
// yet counted share one count (overflowKey), so that a flood from many
// addresses is limited as one client rather than growing the map.
const (
	maxAddresses = 50_000
	overflowKey  = "\x00overflow"
)

// Limiter allows each address PerWindow requests in a window of Window
// that opens at the address's first request.
type Limiter struct {
	perWindow int
	window    time.Duration
	now       func() time.Time

	mu     sync.Mutex
	counts map[string]*count
	swept  time.Time
}

type count struct {
	start time.Time
	n     int
}

// New returns a limiter of perWindow requests per address per window.
func New(perWindow int, window time.Duration) *Limiter {
	return &Limiter{perWindow: perWindow, window: window, now: time.Now, counts: map[string]*count{}}
}

// Allow counts a request from addr and reports whether it may go ahead;
// when it may not, wait is how long until the address's window ends.
func (l *Limiter) Allow(addr string) (ok bool, wait time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) >= l.window {
		l.sweep(now)
	}
	c := l.counts[addr]
	if c == nil {
		if len(l.counts) >= maxAddresses {
			addr = overflowKey
			c = l.counts[addr]
		}
		if c == nil {
			c = &count{start: now}
			l.counts[addr] = c
		}
	}
	if now.Sub(c.start) >= l.window {
		c.start, c.n = now, 0
	}
	if c.n >= l.perWindow {
		return false, c.start.Add(l.window).Sub(now)
	}
	c.n++
	return true, 0
}

// sweep forgets the addresses whose window has ended.
func (l *Limiter) sweep(now time.Time) {
	for addr, c := range l.counts {
		if now.Sub(c.start) >= l.window {
			delete(l.counts, addr)
		}
	}
	l.swept = now
}
