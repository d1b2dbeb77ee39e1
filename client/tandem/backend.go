package tandem

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// backend sends calls: authentication, idempotency keys, retries and the
// decoding of answers and errors.
type backend struct {
	baseURL        string
	secretKey      string
	http           *http.Client
	maxRetries     int
	initialBackoff time.Duration
	maxBackoff     time.Duration
}

// retryPolicy says which failures a call may be sent again after.
type retryPolicy int

const (
	// retrySafe: a read, a PUT, or a POST carrying an idempotency key,
	// which the server does once however often it arrives.
	retrySafe retryPolicy = iota
	// retryUnprocessed: a POST the server refuses a key for (its answer
	// holds a secret); sent again only after a 429, which did nothing.
	retryUnprocessed
)

// call is one API call, sent once or more.
type call struct {
	method, path string
	query        url.Values
	body         any
	// idempotencyKey is sent as Idempotency-Key; keyed calls draw one when
	// the caller gave none, so that every retry carries the same.
	idempotencyKey string
	keyed          bool
	policy         retryPolicy
}

func newCall(method, path string, body any, opts []RequestOption) *call {
	c := &call{method: method, path: path, body: body}
	for _, o := range opts {
		o(c)
	}
	return c
}

// withKey makes c an unsafe call the server deduplicates by its
// Idempotency-Key.
func (c *call) withKey() *call {
	c.keyed = true
	if c.idempotencyKey == "" {
		c.idempotencyKey = NewIdempotencyKey()
	}
	return c
}

// NewIdempotencyKey returns a random key: 128 bits, hex.
func NewIdempotencyKey() string {
	var b [16]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("tandem: no randomness for an idempotency key: %v", err))
	}
	return hex.EncodeToString(b[:])
}

// do sends c, retrying what may be retried, and decodes a 2xx answer into
// out (when out is not nil). Any other answer is an *APIError.
func (b *backend) do(ctx context.Context, c *call, out any) error {
	var payload []byte
	if c.body != nil {
		var err error
		if payload, err = json.Marshal(c.body); err != nil {
			return fmt.Errorf("tandem: %s %s: encode the body: %w", c.method, c.path, err)
		}
	}
	for attempt := 0; ; attempt++ {
		resp, err := b.send(ctx, c, payload)
		var wait time.Duration
		var retry bool
		if err == nil {
			if resp.status >= 200 && resp.status < 300 {
				return resp.decode(c, out)
			}
			err = resp.apiError()
			retry, wait = b.retryAfterAnswer(c, resp)
		} else {
			if ctx.Err() != nil {
				return err
			}
			retry = c.policy == retrySafe
		}
		if !retry || attempt >= b.maxRetries {
			return err
		}
		wait = max(wait, b.backoff(attempt))
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return err // the retry could not finish in time: say why now
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// answer is a response read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (b *backend) send(ctx context.Context, c *call, payload []byte) (*answer, error) {
	u := b.baseURL + c.path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("tandem: %s %s: %w", c.method, c.path, err)
	}
	req.Header.Set("Authorization", "Bearer "+b.secretKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "tandem-go")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", c.idempotencyKey)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("tandem: %s %s: %w", c.method, c.path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("tandem: %s %s: read the answer: %w", c.method, c.path, err)
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func (a *answer) decode(c *call, out any) error {
	if out == nil || a.status == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		return fmt.Errorf("tandem: %s %s: decode the answer (%d): %w", c.method, c.path, a.status, err)
	}
	return nil
}

// retryAfterAnswer says whether a non-2xx answer is worth sending again,
// and the least wait the server asked for.
func (b *backend) retryAfterAnswer(c *call, a *answer) (bool, time.Duration) {
	wait := retryAfter(a.header.Get("Retry-After"), time.Now())
	switch {
	case a.status == http.StatusTooManyRequests:
		return true, wait
	case c.policy != retrySafe:
		return false, 0
	case a.status == http.StatusConflict:
		var e *APIError
		return errors.As(a.apiError(), &e) && e.Code == "idempotency_in_progress", wait
	case a.status >= 500:
		return true, wait
	}
	return false, 0
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// backoff is the wait before retry attempt+1: doubling from
// initialBackoff up to maxBackoff, the upper half drawn at random so that
// clients failing together do not retry together.
func (b *backend) backoff(attempt int) time.Duration {
	d := b.initialBackoff
	for i := 0; i < attempt && d < b.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, b.maxBackoff)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + rand.N(d-half+1)
}
