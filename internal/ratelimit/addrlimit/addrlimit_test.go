package addrlimit

import (
	"fmt"
	"testing"
	"time"
)

// clock is a settable time for the limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestLimiter(perWindow int) (*Limiter, *clock) {
	c := &clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l := New(perWindow, time.Minute)
	l.now = c.now
	return l, c
}

func TestAllowPerAddressPerWindow(t *testing.T) {
	l, c := newTestLimiter(3)
	for i := range 3 {
		if ok, _ := l.Allow("198.51.100.1"); !ok {
			t.Fatalf("request %d refused", i+1)
		}
	}
	c.t = c.t.Add(20 * time.Second)
	ok, wait := l.Allow("198.51.100.1")
	if ok || wait != 40*time.Second {
		t.Fatalf("fourth request: ok %v, wait %s; want refused for 40s", ok, wait)
	}
	if ok, _ := l.Allow("198.51.100.2"); !ok {
		t.Fatal("another address was refused")
	}
	c.t = c.t.Add(40 * time.Second)
	if ok, _ := l.Allow("198.51.100.1"); !ok {
		t.Fatal("refused after the window ended")
	}
}

// Memory stays bounded: past maxAddresses, new addresses share one count,
// and ended windows are forgotten.
func TestAllowBoundsItsMemory(t *testing.T) {
	l, c := newTestLimiter(2)
	for i := range maxAddresses {
		l.Allow(fmt.Sprintf("a%d", i))
	}
	okFirst, _ := l.Allow("newcomer-1")
	okSecond, _ := l.Allow("newcomer-2")
	okThird, _ := l.Allow("newcomer-3")
	if !okFirst || !okSecond || okThird {
		t.Errorf("overflow addresses: %v %v %v; want two allowed, then refused as one client", okFirst, okSecond, okThird)
	}
	if len(l.counts) != maxAddresses+1 {
		t.Errorf("%d counts kept, want %d", len(l.counts), maxAddresses+1)
	}
	c.t = c.t.Add(time.Minute)
	l.Allow("later")
	if len(l.counts) != 1 {
		t.Errorf("%d counts kept after every window ended, want 1", len(l.counts))
	}
}
