// Command review measures the console's review queue with many held
// rewards (the goal: the reviewer's page under 100 ms server time with
// 10,000 held rewards).
//
//	go run ./bench/review                  # 10,000 held rewards, 200 runs of each page
//	go run ./bench/review -held 50000 -runs 100
//
// It creates a tenant (tenants.Create) and a published campaign that holds
// every reward for review (one quest step, a $10 host milestone repeated),
// then, through the engine as the API would, -held referrals: hosts of five
// guests each, every third referral with a velocity signal and every
// seventh with an email_alias one, each guest completing the quest, so
// that each completion holds one host reward. Then VACUUM ANALYZE, and it
// signs in as the owner and times GET /review through the whole app
// (web.New, in process, app.Test): session, tenant transaction, member
// check, the queue's statement, the hosts' other referrals, rendering —
// unfiltered, filtered by a frequent signal, by a signal no referral
// carries (before invitation_signals, every held reward was read and none
// kept: the worst case), by age and by campaign. It prints the median and p95 of each. It runs on
// the test harness's database (internal/dbtest: TEST_DATABASE_URL, or a
// throwaway cluster of its own). Slow numbers never fail the command;
// errors do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web"
)

// guestsPerHost is how many referrals each host has: a row shows the
// host's others.
const guestsPerHost = 5

// chunk is how many referrals one fixture transaction writes.
const chunk = 500

const ownerEmail, ownerPassword = "owner@review-bench.test", "bench-password-1"

func main() {
	held := flag.Int("held", 10000, "held rewards (one per referral)")
	runs := flag.Int("runs", 200, "measured runs of each page")
	flag.Parse()
	if *held < 1 || *runs < 1 {
		fmt.Fprintln(os.Stderr, "bench/review: -held and -runs are at least 1")
		os.Exit(2)
	}
	if err := run(*held, *runs, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/review:", err)
		os.Exit(1)
	}
}

func run(held, runs int, out io.Writer) (err error) {
	env, err := dbtest.Setup("bench_review")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, env.Close()) }()
	ctx := context.Background()
	start := time.Now()
	created, err := tenants.Create(ctx, env.App, tenants.NewTenant{Name: "Review bench", OwnerEmail: ownerEmail, OwnerPassword: ownerPassword})
	if err != nil {
		return err
	}
	if err := tenants.WithTenant(ctx, env.App, created.TenantID, campaign); err != nil {
		return err
	}
	for from := 0; from < held; from += chunk {
		err := tenants.WithTenant(ctx, env.App, created.TenantID, func(ctx context.Context) error {
			return referrals(ctx, from, min(from+chunk, held))
		})
		if err != nil {
			return err
		}
	}
	var n int64
	if err := env.Owner.Raw(`SELECT count(*) FROM reward_tokens WHERE tenant_id = ? AND status = 'held'`, created.TenantID).Scan(&n).Error; err != nil {
		return err
	}
	if n != int64(held) {
		return fmt.Errorf("the fixture holds %d rewards, want %d", n, held)
	}
	if err := env.Owner.Exec(`VACUUM ANALYZE`).Error; err != nil {
		return err
	}
	fmt.Fprintf(out, "bench/review: %d held rewards of %d hosts; %d CPUs, %s; set up in %.1f s\n",
		held, (held+guestsPerHost-1)/guestsPerHost, runtime.NumCPU(), runtime.Version(), time.Since(start).Seconds())

	app := web.New(web.Config{DB: env.App, PublicURL: "http://localhost:8080"})
	defer app.Shutdown()
	owner, err := webtest.SignIn(app, ownerEmail, ownerPassword)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-44s %8s %10s %10s %10s\n", "page (server time, in process)", "rows", "median", "p95", "goal p95")
	for _, path := range []string{"/review", "/review?signal=velocity", "/review?signal=ring", "/review?age=1d", "/review?campaign=bench"} {
		times := make([]time.Duration, 0, runs)
		rows := 0
		for i := 0; i < runs+runs/10; i++ { // the first tenth warms up
			t0 := time.Now()
			status, body, err := owner.Get(path)
			took := time.Since(t0)
			if err != nil {
				return err
			}
			if status != 200 {
				return fmt.Errorf("GET %s: %d", path, status)
			}
			rows = strings.Count(body, `data-testid="review-item"`)
			if i >= runs/10 {
				times = append(times, took)
			}
		}
		slices.Sort(times)
		p := func(q float64) string {
			return fmt.Sprintf("%.2f ms", float64(times[int(q*float64(len(times)-1))])/1e6)
		}
		fmt.Fprintf(out, "%-44s %8d %10s %10s %10s\n", "GET "+path, rows, p(0.5), p(0.95), "100 ms")
	}
	return nil
}

// campaign publishes the campaign that holds every reward.
func campaign(ctx context.Context) error {
	if _, _, err := models.DefineEvent(ctx, "signed_up", ""); err != nil {
		return err
	}
	amount := int64(1000)
	rules := models.Rules{Steps: []string{"signed_up"}, Review: models.ReviewAll, RepeatLastMilestone: true,
		Milestones: []models.Milestone{{Count: 1, Reward: models.Reward{Description: "$10 credit", Kind: "cash", Amount: &amount, Currency: "USD"}}}}
	if _, _, err := models.SaveCampaignDraft(ctx, "bench", models.CampaignInput{Name: "Bench", Mode: models.ModeInvitation, Rules: rules}); err != nil {
		return err
	}
	_, err := models.PublishCampaign(ctx, "bench", models.InflightKeep)
	return err
}

// referrals makes referrals [from, to): each invited by its host, claimed,
// given its signals, and completed.
func referrals(ctx context.Context, from, to int) error {
	for r := from; r < to; r++ {
		host, guest := fmt.Sprintf("host-%d", r/guestsPerHost), fmt.Sprintf("guest-%d", r)
		inv, err := models.CreateInvitation(ctx, "bench", models.InvitationInput{Host: host, Channel: "email"})
		if err != nil {
			return err
		}
		if _, err := models.Claim(ctx, inv.Code, guest); err != nil {
			return err
		}
		var signals []models.RiskSignal
		if r%3 == 0 {
			signals = append(signals, models.RiskSignal{Code: models.SignalVelocity, Level: models.RiskMedium,
				Detail: "the host's 4th claim in 60 minutes"})
		}
		if r%7 == 0 {
			signals = append(signals, models.RiskSignal{Code: models.SignalEmailAlias, Level: models.RiskHigh,
				Detail: guest + "+promo@example.com and the host's " + host + "@example.com are one mailbox"})
		}
		if err := models.RecordRisk(ctx, inv.ID, signals); err != nil {
			return err
		}
		if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: guest, Name: "signed_up"}); err != nil {
			return err
		}
	}
	return nil
}
