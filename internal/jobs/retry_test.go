package jobs

import (
	"slices"
	"testing"
	"time"
)

func TestParseRetrySchedule(t *testing.T) {
	got, err := ParseRetrySchedule("5s,5m,30m,2h,5h,10h,10h")
	if err != nil || !slices.Equal(got, DefaultRetrySchedule) {
		t.Fatalf("the default written out: %v %v", got, err)
	}
	for _, bad := range []string{"", "5s,,1m", "0s", "-1s", "25h", "soon", "1s,2"} {
		if _, err := ParseRetrySchedule(bad); err == nil {
			t.Errorf("ParseRetrySchedule(%q) accepted", bad)
		}
	}
}

// The waits follow the schedule, within the ±10% jitter, and stay at its
// last wait beyond it.
func TestRetryDelay(t *testing.T) {
	schedule := []time.Duration{time.Second, time.Minute}
	for n, want := range map[int]time.Duration{1: time.Second, 2: time.Minute, 3: time.Minute} {
		for range 100 {
			if d := retryDelay(schedule, n); d < want*9/10 || d > want*11/10 {
				t.Fatalf("attempt %d: wait %v, want %v ± 10%%", n, d, want)
			}
		}
	}
}

func FuzzParseRetrySchedule(f *testing.F) {
	f.Add("5s,5m,30m,2h,5h,10h,10h")
	f.Add("1ms")
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := ParseRetrySchedule(s)
		if err != nil {
			return
		}
		if len(ds) == 0 || len(ds) > 20 {
			t.Fatalf("%q: %d waits", s, len(ds))
		}
		for _, d := range ds {
			if d < time.Millisecond || d > 24*time.Hour {
				t.Fatalf("%q: wait %v", s, d)
			}
		}
	})
}
