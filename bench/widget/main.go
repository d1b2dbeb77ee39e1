// Command widget measures the embeddable widget's reads for a host with
// many guests (the goal: GET /widget/v1/… under 20 ms server time at p95
// for a host with 1,000 guests).
//
//	go run ./bench/widget             # 1,000 guests, 200 runs of each read
//	go run ./bench/widget -guests 5000 -runs 500
//
// It creates a tenant (tenants.Create), a published referrer-code campaign
// with a three-step quest and a host milestone, one host whose code -guests
// guests claim, with events moving them to every step (a third complete
// the quest, so the host has rewards), and allowed origins; mints a token
// through tenants, and then sends each read through the whole app (web.New,
// in process, app.Test) from an allowed origin: the server's whole time,
// token lookup, CORS, tenant transaction, queries, JSON. It prints the
// median and p95 of each. It runs on the test harness's database
// (internal/dbtest: TEST_DATABASE_URL, or a throwaway cluster of its own).
// Slow numbers never fail the command; errors do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web"
)

const origin = "https://shop.example"

func main() {
	guests := flag.Int("guests", 1000, "guests of the one host")
	runs := flag.Int("runs", 200, "measured runs of each read")
	flag.Parse()
	if *guests < 1 || *runs < 1 {
		fmt.Fprintln(os.Stderr, "bench/widget: -guests and -runs are at least 1")
		os.Exit(2)
	}
	if err := run(*guests, *runs, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/widget:", err)
		os.Exit(1)
	}
}

func run(guests, runs int, out io.Writer) (err error) {
	env, err := dbtest.Setup("bench_widget")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, env.Close()) }()
	ctx := context.Background()
	start := time.Now()
	created, err := tenants.Create(ctx, env.App, tenants.NewTenant{Name: "Widget bench", OwnerEmail: "owner@bench.test", OwnerPassword: "bench-password-1"})
	if err != nil {
		return err
	}
	var token string
	err = tenants.WithTenant(ctx, env.App, created.TenantID, func(ctx context.Context) error {
		var err error
		token, err = fixture(ctx, guests)
		return err
	})
	if err != nil {
		return err
	}
	if err := env.Owner.Exec(`VACUUM ANALYZE`).Error; err != nil {
		return err
	}
	fmt.Fprintf(out, "bench/widget: one host with %d guests; %d CPUs, %s; set up in %.1f s\n",
		guests, runtime.NumCPU(), runtime.Version(), time.Since(start).Seconds())

	app := web.New(web.Config{DB: env.App, PublicURL: "https://tandem.test"})
	defer app.Shutdown()
	fmt.Fprintf(out, "%-40s %10s %10s %10s\n", "read (server time, in process)", "median", "p95", "goal p95")
	for _, path := range []string{"/widget/v1/me", "/widget/v1/invitations", "/widget/v1/invitations?limit=100", "/widget/v1/rewards"} {
		times := make([]time.Duration, 0, runs)
		for i := 0; i < runs+runs/10; i++ { // the first tenth warms up
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Origin", origin)
			t0 := time.Now()
			resp, err := app.Test(req, -1)
			took := time.Since(t0)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("GET %s: %d", path, resp.StatusCode)
			}
			if i >= runs/10 {
				times = append(times, took)
			}
		}
		slices.Sort(times)
		p := func(q float64) string {
			return fmt.Sprintf("%.2f ms", float64(times[int(q*float64(len(times)-1))])/1e6)
		}
		fmt.Fprintf(out, "%-40s %10s %10s %10s\n", "GET "+path, p(0.5), p(0.95), "20 ms")
	}
	return nil
}

// fixture makes the campaign, the host's guests at every step, the allowed
// origin and a token, inside the tenant's transaction.
func fixture(ctx context.Context, guests int) (string, error) {
	steps := []string{"signed_up", "profile_done", "first_order"}
	for _, s := range steps {
		if _, _, err := models.DefineEvent(ctx, s, ""); err != nil {
			return "", err
		}
	}
	amount := int64(1000)
	rules := models.Rules{Steps: steps, RepeatLastMilestone: true, Milestones: []models.Milestone{{Count: 1,
		Reward: models.Reward{Description: "$10 credit", Kind: "cash", Amount: &amount, Currency: "USD"}}}}
	if _, _, err := models.SaveCampaignDraft(ctx, "bench", models.CampaignInput{Name: "Bench", Mode: models.ModeReferrerCode, Rules: rules}); err != nil {
		return "", err
	}
	if _, err := models.PublishCampaign(ctx, "bench", models.InflightKeep); err != nil {
		return "", err
	}
	code, err := models.ReferrerCode(ctx, "bench", "host")
	if err != nil {
		return "", err
	}
	for g := range guests {
		guest := fmt.Sprintf("guest-%d", g)
		name := fmt.Sprintf("Guest Number%d", g)
		if _, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: guest, DisplayName: &name}); err != nil {
			return "", err
		}
		if _, err := models.Claim(ctx, code, guest); err != nil {
			return "", err
		}
		for _, s := range steps[:g%(len(steps)+1)] {
			if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: guest, Name: s}); err != nil {
				return "", err
			}
		}
	}
	if _, err := models.SaveWidgetSettings(ctx, []string{origin}); err != nil {
		return "", err
	}
	keys, err := models.ListAPIKeys(ctx)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		if k.Kind == models.APIKeySecret {
			token, _, err := tenants.MintWidgetToken(ctx, k.ID, "host", "bench", time.Hour)
			return token, err
		}
	}
	return "", errors.New("no secret key")
}
