package jobs_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/internal/stripemock"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/web"
)

// stripeRecorder is a reverse proxy in front of stripe-mock that records
// every request that creates something, and fails them all while down is set.
type stripeRecorder struct {
	URL  string
	down atomic.Bool
	mu   sync.Mutex
	// posts are "path idempotency-key", in order; forms their bodies.
	posts []string
	forms map[string]url.Values
	// gate, while set, holds every request that creates something until
	// it is closed, after sending its "path idempotency-key" on arrived.
	gate    atomic.Pointer[chan struct{}]
	arrived chan string
}

func newStripeRecorder(t *testing.T) *stripeRecorder {
	target, err := url.Parse(stripemock.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	rec := &stripeRecorder{forms: map[string]url.Values{}, arrived: make(chan string, 10)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Errorf("read a request to Stripe: %v", err)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			post := r.URL.Path + " " + r.Header.Get("Idempotency-Key")
			rec.mu.Lock()
			rec.posts = append(rec.posts, post)
			rec.forms[post] = form
			rec.mu.Unlock()
			if gate := rec.gate.Load(); gate != nil {
				rec.arrived <- post
				<-*gate
			}
		}
		if rec.down.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"error":{"type":"api_error","message":"Stripe is down for the test"}}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// form is the body of the request recorded as post ("path idempotency-key").
func (rec *stripeRecorder) form(post string) url.Values {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.forms[post]
}

func (rec *stripeRecorder) recorded() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.posts...)
}

// stripeTenant is a tenant whose API and jobs reach Stripe through rec,
// with its Stripe connected, and a call that checks the status.
func stripeTenant(t *testing.T, rec *stripeRecorder) func(method, path string, body any, status int) webtest.Response {
	call, _ := stripeTenantAsync(t, rec)
	return call
}

// stripeTenantAsync is stripeTenant with a second call, for a goroutine:
// it sends a POST without a body and answers the response, unchecked.
func stripeTenantAsync(t *testing.T, rec *stripeRecorder) (func(method, path string, body any, status int) webtest.Response, func(path string) webtest.Response) {
	app := web.New(web.Config{DB: env.App, PublicURL: "https://tandem.test", Secrets: testBox, WebhookPolicy: local,
		Billing: stripebilling.Config{APIBase: rec.URL}})
	created := webtest.NewTenant(t, env.App)
	call := func(method, path string, body any, status int) webtest.Response {
		t.Helper()
		r := webtest.Do(t, app, method, path, body, "Authorization", "Bearer "+created.SecretKey)
		if r.Status != status {
			t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
		return r
	}
	post := func(path string) webtest.Response {
		return webtest.Do(t, app, "POST", path, nil, "Authorization", "Bearer "+created.SecretKey)
	}
	call("PUT", "/v1/integrations/stripe", map[string]any{"api_key": "sk_test_fulfilmentKey1"}, 200)
	call("POST", "/v1/event-definitions", map[string]any{"name": "subscribed"}, 201)
	return call, post
}

// completeQuest publishes slug with these rewards and has guest finish a
// quest of host's; it returns the ids of the guest's and host's rewards.
func completeQuest(call func(string, string, any, int) webtest.Response, slug, host, guest string, guestReward, hostReward map[string]any) (string, string) {
	call("PUT", "/v1/campaigns/"+slug, map[string]any{"name": slug, "mode": "invitation",
		"quest":           map[string]any{"steps": []string{"subscribed"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": hostReward}}, "guest_reward": guestReward}, 200)
	call("POST", "/v1/campaigns/"+slug+"/publish", nil, 200)
	inv := call("POST", "/v1/campaigns/"+slug+"/invitations", map[string]any{"host": host}, 201)
	call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": guest}, 201)
	call("POST", "/v1/events", map[string]any{"participant": guest, "name": "subscribed"}, 202)
	first := func(who string) string {
		return call("GET", "/v1/participants/"+who+"/rewards", nil, 200).JSON["data"].([]any)[0].(map[string]any)["id"].(string)
	}
	return first(guest), first(host)
}

// fulfilment is a reward's fulfilment as the API shows it.
func fulfilment(call func(string, string, any, int) webtest.Response, who string) map[string]any {
	r := call("GET", "/v1/participants/"+who+"/rewards", nil, 200)
	f, _ := r.JSON["data"].([]any)[0].(map[string]any)["fulfilment"].(map[string]any)
	return f
}

// completedRuns counts the finished runs of a reward's fulfilment jobs.
func completedRuns(t *testing.T, reward string) int {
	var n int
	if err := env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ?
		AND state = 'completed'`, reward).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStripeRewardsFulfilOnce is Stripe fulfilment's whole path: a quest completed
// through the API whose rewards are a stripe_coupon (the guest's) and a
// stripe_balance (the host's) is fulfilled against stripe-mock, with one
// Stripe request per object, each keyed by the reward id, even when every
// job runs twice.
func TestStripeRewardsFulfilOnce(t *testing.T) {
	rec := newStripeRecorder(t)
	call := stripeTenant(t, rec)
	startServer(t, time.Now, func(c *jobs.Config) { c.StripeAPIBase = rec.URL })
	call("POST", "/v1/participants", map[string]any{"external_id": "hana", "stripe_customer_id": "cus_Hana1"}, 201)
	call("POST", "/v1/participants", map[string]any{"external_id": "gus", "stripe_customer_id": "cus_Gus1"}, 201)
	coupon, balance := completeQuest(call, "stripe", "hana", "gus",
		map[string]any{"description": "$5 off your next invoice", "kind": "stripe_coupon", "amount": 500, "currency": "USD"},
		map[string]any{"description": "$15 account credit", "kind": "stripe_balance", "amount": 1500, "currency": "USD"})

	eventually(t, "both rewards to be fulfilled", func() bool {
		return fulfilment(call, "gus")["status"] == "fulfilled" && fulfilment(call, "hana")["status"] == "fulfilled"
	})
	g, h := fulfilment(call, "gus"), fulfilment(call, "hana")
	if code, _ := g["code"].(string); code == "" || g["stripe_object"] == nil || g["attempts"] != float64(1) {
		t.Errorf("the coupon's fulfilment: %v", g)
	}
	if h["stripe_object"] == nil || h["code"] != nil || h["attempts"] != float64(1) {
		t.Errorf("the balance credit's fulfilment: %v", h)
	}
	want := []string{"/v1/coupons " + coupon, "/v1/promotion_codes " + coupon + "-promotion-code",
		"/v1/customers/cus_Hana1/balance_transactions " + balance}
	sameRequests := func() {
		t.Helper()
		got := rec.recorded()
		for _, w := range want {
			n := 0
			for _, g := range got {
				if g == w {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%q sent %d times, want once; every request: %q", w, n, got)
			}
		}
		if len(got) != len(want) {
			t.Errorf("requests %q, want %q", got, want)
		}
	}
	sameRequests()

	// Every job again, as a crash before River marked it done would; in the
	// reward's tenant, the only one a job may be queued for.
	for _, reward := range []string{coupon, balance} {
		err := env.Owner.Transaction(func(tx *gorm.DB) error {
			// The tenant read first, then set here: on Citus a set_config in
			// a query on a distributed table runs on the workers.
			var tenant string
			if err := tx.Raw(`SELECT tenant_id::text FROM reward_fulfilments WHERE reward_id = ?`, reward).Scan(&tenant).Error; err != nil {
				return err
			}
			if err := tx.Exec(`SELECT set_config('app.tenant_id', ?, true)`, tenant).Error; err != nil {
				return err
			}
			return tx.Exec(`SELECT reward_fulfilment_queue(app_tenant_id(), ?)`, reward).Error
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "the second runs", func() bool { return completedRuns(t, coupon) == 2 && completedRuns(t, balance) == 2 })
	sameRequests()
	if g2 := fulfilment(call, "gus"); fmt.Sprint(g2) != fmt.Sprint(g) {
		t.Errorf("a second run changed the coupon's fulfilment: %v, then %v", g, g2)
	}
}

// TestStripeFulfilmentFailsAndRetries: while Stripe is down a reward is
// failed with Stripe's error; so is a balance credit for a participant
// with no Stripe customer. A retry once Stripe is back (and the customer
// known) fulfils both; retrying a fulfilled reward is a conflict.
func TestStripeFulfilmentFailsAndRetries(t *testing.T) {
	rec := newStripeRecorder(t)
	call := stripeTenant(t, rec)
	// No automatic retry within the test: only the retry button's.
	startServer(t, time.Now, func(c *jobs.Config) {
		c.StripeAPIBase = rec.URL
		c.FulfilmentBackoff = func(int) time.Duration { return time.Hour }
	})
	rec.down.Store(true)
	coupon, balance := completeQuest(call, "down", "ida", "jon",
		map[string]any{"description": "10 EUR off", "kind": "stripe_coupon", "amount": 1000, "currency": "EUR"},
		map[string]any{"description": "credit", "kind": "stripe_balance", "amount": 700, "currency": "EUR"})
	eventually(t, "both to fail", func() bool {
		return fulfilment(call, "jon")["status"] == "failed" && fulfilment(call, "ida")["status"] == "failed"
	})
	if f := fulfilment(call, "jon"); !strings.Contains(f["error"].(string), "Stripe is down for the test") || f["attempts"] != float64(1) || f["code"] != nil {
		t.Errorf("the coupon while Stripe is down: %v", f)
	}
	if f := fulfilment(call, "ida"); !strings.Contains(f["error"].(string), "stripe_customer_id") {
		t.Errorf("the credit without a customer: %v", f)
	}

	rec.down.Store(false)
	call("POST", "/v1/participants", map[string]any{"external_id": "ida", "stripe_customer_id": "cus_Ida1"}, 200)
	for _, reward := range []string{coupon, balance} {
		r := call("POST", "/v1/rewards/"+reward+"/retry-fulfilment", nil, 200)
		if r.JSON["fulfilment"].(map[string]any)["status"] != "pending" {
			t.Errorf("retried: %s", r.Body)
		}
	}
	eventually(t, "both to be fulfilled", func() bool {
		return fulfilment(call, "jon")["status"] == "fulfilled" && fulfilment(call, "ida")["status"] == "fulfilled"
	})
	if f := fulfilment(call, "jon"); f["attempts"] != float64(2) || f["error"] != "" || f["code"] == nil {
		t.Errorf("the coupon after its retry: %v", f)
	}
	call("POST", "/v1/rewards/"+coupon+"/retry-fulfilment", nil, 409)
}

// TestPercentageCouponFulfilled: a stripe_coupon that is a percentage off
// is made in Stripe (stripe-mock) as a coupon with percent_off and no
// amount or currency, once, with its promotion code for the customer; an
// amount coupon beside it still sends amount_off and its currency.
func TestPercentageCouponFulfilled(t *testing.T) {
	rec := newStripeRecorder(t)
	call := stripeTenant(t, rec)
	startServer(t, time.Now, func(c *jobs.Config) { c.StripeAPIBase = rec.URL })
	call("POST", "/v1/participants", map[string]any{"external_id": "pia", "stripe_customer_id": "cus_Pia1"}, 201)
	percent, amount := completeQuest(call, "percent", "quinn", "pia",
		map[string]any{"description": "12.5% off your next invoice", "kind": "stripe_coupon", "percent_off": 12.5},
		map[string]any{"description": "$3 off", "kind": "stripe_coupon", "amount": 300, "currency": "USD"})
	eventually(t, "both coupons to be fulfilled", func() bool {
		return fulfilment(call, "pia")["status"] == "fulfilled" && fulfilment(call, "quinn")["status"] == "fulfilled"
	})
	if code, _ := fulfilment(call, "pia")["code"].(string); code == "" {
		t.Errorf("the percentage coupon has no promotion code: %v", fulfilment(call, "pia"))
	}
	c := rec.form("/v1/coupons " + percent)
	// stripe-go writes a float with four decimals: "12.5000".
	if p, err := strconv.ParseFloat(c.Get("percent_off"), 64); err != nil || p != 12.5 || c.Has("amount_off") || c.Has("currency") || c.Get("max_redemptions") != "1" ||
		c.Get("metadata[tandem_reward]") != percent {
		t.Errorf("the percentage coupon sent %v", c)
	}
	if p := rec.form("/v1/promotion_codes " + percent + "-promotion-code"); p.Get("customer") != "cus_Pia1" || p.Get("max_redemptions") != "1" {
		t.Errorf("its promotion code sent %v", p)
	}
	if a := rec.form("/v1/coupons " + amount); a.Get("amount_off") != "300" || a.Get("currency") != "usd" || a.Has("percent_off") {
		t.Errorf("the amount coupon sent %v", a)
	}
	n := 0
	for _, post := range rec.recorded() {
		if post == "/v1/coupons "+percent {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the percentage coupon was asked for %d times: %q", n, rec.recorded())
	}
}
