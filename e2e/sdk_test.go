package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/client/tandem"
	"github.com/tandemhq/tandem/client/tandem/webhook"
	"github.com/tandemhq/tandem/examples/referral-backend/shop"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web"
	"github.com/tandemhq/tandem/web/api"
)

// TestSDKReferral runs the example backend (examples/referral-backend),
// which uses the Go SDK alone, against the whole server behind a proxy
// that fails two calls once: the first invitation reaches the server but
// its answer is lost (a 503 instead), the first event is refused with 429
// and Retry-After: 1. The referral still ends with one invitation a guest
// and every reward issued, the invitation's retry carrying the same
// Idempotency-Key (so the server replays its answer rather than invite
// twice), the event's retry waiting out Retry-After; the host's rewards are listed
// across pages; the server's webhooks, delivered by the job runner, verify
// with the SDK's webhook.Verify and decode to typed data.
func TestSDKReferral(t *testing.T) {
	base := startServer(t)
	startJobs(t, base)
	tenant := webtest.NewTenant(t, env.App)
	faults := newFaultProxy(t, base, map[string]fault{
		"POST /v1/campaigns/spring/invitations": lostAnswer,
		"POST /v1/events":                       rateLimited,
	})
	c := tandem.NewClient(tenant.SecretKey, tandem.WithBaseURL(faults.URL), tandem.WithBackoff(10*time.Millisecond, 100*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	rcv := shop.NewReceiver()
	// Every body is held to the OpenAPI document before the example's
	// receiver, which uses only the SDK, reads it.
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		for _, p := range api.CheckWebhook(body) {
			t.Errorf("webhook %s does not match the OpenAPI document: %s", r.Header.Get("webhook-id"), p)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rcv.ServeHTTP(w, r)
	}))
	t.Cleanup(hooks.Close)
	if err := rcv.Subscribe(ctx, c, hooks.URL+"/tandem"); err != nil {
		t.Fatal(err)
	}
	guests := []string{"ida", "jon", "kai"}
	res, err := shop.Run(ctx, c, shop.Options{Campaign: "spring", Host: "hana", Guests: guests, PageSize: 2})
	if err != nil {
		t.Fatalf("the example failed: %v", err)
	}

	created := faults.seen("POST /v1/campaigns/spring/invitations")
	if len(created) != len(guests)+1 || created[0].key == "" || created[1].key != created[0].key {
		t.Errorf("invitations sent %+v: want the lost one sent again with the same Idempotency-Key, then one a guest", created)
	}
	var invited int
	for inv, err := range c.Invitations.All(ctx, &tandem.InvitationListParams{Host: "hana"}) {
		if err != nil {
			t.Fatal(err)
		}
		if inv.Guest == nil {
			t.Errorf("invitation %s was never claimed: the lost answer's retry invited again", inv.ID)
		}
		invited++
	}
	if invited != len(guests) {
		t.Errorf("hana's invitations: %d, want %d", invited, len(guests))
	}
	events := faults.seen("POST /v1/events")
	if len(events) < 2 || events[1].at.Sub(events[0].at) < time.Second || events[1].key != events[0].key {
		t.Errorf("events sent %+v: want the refused one sent again after Retry-After (1s), with the same key", events)
	}
	for i, inv := range res.Invitations {
		if inv.Guest == nil || *inv.Guest != guests[i] || inv.Status != tandem.InvitationStatusClaimed {
			t.Errorf("invitation %d: %+v, want claimed by %s", i, inv, guests[i])
		}
	}
	// Three completions, three $10 credits (the milestone repeats), over
	// two pages of two.
	if len(res.Rewards) != len(guests) {
		t.Fatalf("the host's rewards: %d, want %d", len(res.Rewards), len(guests))
	}
	if pages := faults.seen("GET /v1/participants/hana/rewards"); len(pages) != 2 {
		t.Errorf("reward pages fetched: %d, want 2", len(pages))
	}
	ids := map[string]bool{}
	for _, r := range res.Rewards {
		if ids[r.ID] || r.Participant != "hana" || r.Amount == nil || *r.Amount != 1000 {
			t.Errorf("reward %+v: want each of hana's $10 credits once", r)
		}
		ids[r.ID] = true
	}
	if res.Redeemed == nil || res.Redeemed.Status != tandem.RewardTokenStatusRedeemed {
		t.Errorf("redeemed: %+v", res.Redeemed)
	}

	// Every reward issued (the host's three, a guest's each), the
	// redemption and each step of each guest's quest arrive verified and
	// typed, in no promised order, each with the object as its change left
	// it: every reward.issued says issued, the one redeemed since too.
	wantIssued, wantProgressed := len(guests)*2, len(guests)*2
	eventually(t, "the reward and quest webhooks", func() bool {
		issued, redeemed, progressed := 0, 0, 0
		for _, ev := range rcv.Events() {
			switch data := ev.Data.(type) {
			case *tandem.RewardToken:
				if ev.Type == webhook.TypeRewardIssued && data.Status == tandem.RewardTokenStatusIssued {
					issued++
				}
				if ev.Type == webhook.TypeRewardRedeemed && data.ID == res.Redeemed.ID {
					redeemed++
				}
			case *webhook.QuestProgressed:
				if data.Invitation.Host == "hana" && data.Step != "" {
					progressed++
				}
			}
		}
		return issued == wantIssued && redeemed == 1 && progressed == wantProgressed
	})
	// The SDK decodes the contract the server sends.
	if sdk, server := webhook.APIVersion, models.WebhookAPIVersion; sdk != server {
		t.Errorf("the SDK decodes webhooks of %s, the server sends %s", sdk, server)
	}
	for _, ev := range rcv.Events() {
		if ev.APIVersion != webhook.APIVersion {
			t.Errorf("%s %s: api_version %q", ev.Type, ev.ID, ev.APIVersion)
		}
	}

	// Errors are *tandem.APIError, with the code, the field and the
	// request id.
	var apiErr *tandem.APIError
	_, err = c.Participants.Get(ctx, "nobody")
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || apiErr.Code != "participant_not_found" || apiErr.RequestID == "" {
		t.Errorf("get an unknown participant: %#v", err)
	}
	_, err = c.Invitations.Create(ctx, "spring", &tandem.InvitationRequest{Host: "hana", Channel: tandem.String(strings.Repeat("e", 300))})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity || apiErr.Code == "" || apiErr.Field != "channel" {
		t.Errorf("an invitation with a 300-byte channel: %#v", err)
	}
}

// startJobs runs the webhook deliveries, as serve does, with the secret
// box startServer serves with.
func startJobs(t *testing.T, base string) {
	t.Helper()
	pool, err := jobs.OpenPool(context.Background(), env.AppURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secretbox.New(make([]byte, secretbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(jobs.Config{DB: env.App, Pool: pool, Secrets: box, Render: web.WebhookData(base),
		Policy: safehttp.Policy{AllowPrivateNetworks: true}, RetrySchedule: []time.Duration{50 * time.Millisecond},
		FetchPollInterval: 100 * time.Millisecond, ExpiryInterval: time.Hour,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := runner.Stop(ctx, time.Second); err != nil {
			t.Error(err)
		}
		pool.Close()
	})
}

// fault is how the proxy fails the first request to a route.
type fault func(w http.ResponseWriter, r *http.Request, forward http.Handler)

// lostAnswer lets the request through and answers 503 instead of the
// server's answer, as a gateway whose upstream timed out does.
func lostAnswer(w http.ResponseWriter, r *http.Request, forward http.Handler) {
	forward.ServeHTTP(httptest.NewRecorder(), r)
	http.Error(w, "upstream timed out", http.StatusServiceUnavailable)
}

// rateLimited refuses the request as the server's limiter does.
func rateLimited(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(`{"error":{"code":"rate_limited","message":"Too many requests."}}`))
}

// faultProxy forwards to the server, failing the first request of each
// route it has a fault for, and records what it was sent.
type faultProxy struct {
	*httptest.Server
	mu     sync.Mutex
	faults map[string]fault
	sent   map[string][]sent
}

type sent struct {
	key string // Idempotency-Key
	at  time.Time
}

func newFaultProxy(t *testing.T, target string, faults map[string]fault) *faultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{faults: faults, sent: map[string][]sent{}}
	forward := httputil.NewSingleHostReverseProxy(u)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		p.mu.Lock()
		p.sent[route] = append(p.sent[route], sent{key: r.Header.Get("Idempotency-Key"), at: time.Now()})
		f := p.faults[route]
		delete(p.faults, route)
		p.mu.Unlock()
		if f != nil {
			f(w, r, forward)
			return
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *faultProxy) seen(route string) []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sent(nil), p.sent[route]...)
}

// eventually waits until done says so; the bound only turns a hang into a
// failure.
func eventually(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
