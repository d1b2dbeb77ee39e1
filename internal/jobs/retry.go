package jobs

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// DefaultRetrySchedule is the wait before each retry of a failed webhook
// delivery: about 27 hours from the first attempt to the last of eight.
var DefaultRetrySchedule = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// ParseRetrySchedule reads a schedule written as Go durations separated by
// commas ("5s,5m,30m,2h,5h,10h,10h"); each wait is from 1 ms to 24 h, and
// there are 1 to 20 of them.
func ParseRetrySchedule(s string) ([]time.Duration, error) {
	parts := strings.Split(s, ",")
	if len(parts) > 20 {
		return nil, fmt.Errorf("retry schedule: %d waits, at most 20", len(parts))
	}
	out := make([]time.Duration, 0, len(parts))
	for _, p := range parts {
		d, err := time.ParseDuration(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("retry schedule: %q is not a duration such as 5s, 30m or 2h", p)
		}
		if d < time.Millisecond || d > 24*time.Hour {
			return nil, fmt.Errorf("retry schedule: %s is not between 1ms and 24h", d)
		}
		out = append(out, d)
	}
	return out, nil
}

// retryDelay is the wait after failed attempt n (from 1) of a job: the
// schedule's nth wait, spread by ±10% so that the retries of many
// deliveries that failed together (an endpoint down) do not return at
// the same instant.
func retryDelay(schedule []time.Duration, n int) time.Duration {
	d := schedule[min(max(n, 1), len(schedule))-1]
	return time.Duration(float64(d) * (0.9 + 0.2*rand.Float64()))
}
