package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web"
)

// measurer times the dashboard on the generated campaign.
type measurer struct {
	cfg config
	db  *gorm.DB
	f   fixture
	out io.Writer
}

// warmUp runs before every measured series, so that caches are as a
// dashboard visited now and then finds them.
const warmUp = 3

func (m *measurer) all(ctx context.Context) error {
	today := time.Now()
	var c models.Campaign
	var d models.Dashboard
	if err := m.in(ctx, func(ctx context.Context) (err error) {
		if c, err = models.GetCampaign(ctx, campaignSlug); err != nil {
			return err
		}
		d, err = models.LoadDashboard(ctx, c, today)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(m.out, "funnel    created %d, claimed %d, steps %v, completed %d; %d reward rows; top host %s with %d\n",
		d.Funnel.Created, d.Funnel.Claimed, d.Funnel.Reached, d.Funnel.Completed, len(d.Rewards), topHost(d), topCompleted(d))

	// What one round trip costs right now: each of the dashboard's queries
	// pays it, and on a busy machine it is most of their time.
	trips, err := m.times(func() error { return m.db.WithContext(ctx).Exec(`SELECT 1`).Error })
	if err != nil {
		return err
	}
	fmt.Fprintf(m.out, "baseline  one round trip (SELECT 1 on the app pool): median %s, p95 %s\n\n",
		ms(percentile(trips, 0.5)), ms(percentile(trips, 0.95)))

	// models.LoadDashboard as the page calls it: the whole tenant
	// transaction (BEGIN, role and tenant, seven queries, COMMIT).
	loads, err := m.times(func() error {
		return m.in(ctx, func(ctx context.Context) error { _, err := models.LoadDashboard(ctx, c, time.Now()); return err })
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.out, "load      models.LoadDashboard in its own tenant transaction: median %s, p95 %s (%d runs)\n",
		ms(percentile(loads, 0.5)), ms(percentile(loads, 0.95)), len(loads))

	// The page: GET /dashboard?campaign=bench through the Fiber app, and
	// beside it the team page, the console's fixed cost of a page (session,
	// tenant transaction, member check, render, session save).
	pages, size, team, err := m.page(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.out, "page      GET /team for comparison, the cost of any console page: median %s, p95 %s\n",
		ms(percentile(team, 0.5)), ms(percentile(team, 0.95)))
	med, p95 := percentile(pages, 0.5), percentile(pages, 0.95)
	verdict := "under"
	if p95 >= 100*time.Millisecond {
		verdict = "NOT under"
	}
	fmt.Fprintf(m.out, "page      GET /dashboard?campaign=%s (%d bytes of HTML), server time: median %s, p95 %s, max %s (%d runs): %s the 100 ms target\n",
		campaignSlug, size, ms(med), ms(p95), ms(slices.Max(pages)), len(pages), verdict)
	return nil
}

// in runs fn in a tenant transaction of the fixture's tenant.
func (m *measurer) in(ctx context.Context, fn func(ctx context.Context) error) error {
	return tenants.WithTenant(ctx, m.db, m.f.tenantID, fn)
}

// times runs fn warmUp + runs times and returns the measured durations.
func (m *measurer) times(fn func() error) ([]time.Duration, error) {
	var out []time.Duration
	for i := range warmUp + m.cfg.runs {
		start := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		if i >= warmUp {
			out = append(out, time.Since(start))
		}
	}
	return out, nil
}

// page signs in as the owner through the log-in form and times GET
// /dashboard?campaign=bench through app.Test: the request's whole time in
// the server, with no network in between.
func (m *measurer) page(ctx context.Context) (dash []time.Duration, size int, team []time.Duration, err error) {
	app := web.New(web.Config{DB: m.db, PublicURL: "http://localhost:8080"})
	defer app.Shutdown()
	owner, err := webtest.SignIn(app, m.f.ownerEmail, m.f.ownerPassword)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("page: %w", err)
	}
	// The two pages take turns, so that load on the machine falls on both.
	for i := range warmUp + m.cfg.runs {
		for _, path := range []string{"/dashboard?campaign=" + campaignSlug, "/team"} {
			if err := ctx.Err(); err != nil {
				return nil, 0, nil, err
			}
			start := time.Now()
			status, body, err := owner.Get(path)
			took := time.Since(start)
			if err != nil {
				return nil, 0, nil, err
			}
			if status != http.StatusOK {
				return nil, 0, nil, fmt.Errorf("page: %s: status %d", path, status)
			}
			if i < warmUp {
				continue
			}
			if path == "/team" {
				team = append(team, took)
				continue
			}
			if !strings.Contains(body, `data-testid="funnel"`) {
				return nil, 0, nil, errors.New("page: the dashboard has no funnel")
			}
			size = len(body)
			dash = append(dash, took)
		}
	}
	return dash, size, team, nil
}

// percentile is the p-th quantile of ds (nearest rank).
func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(i, 0)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func topHost(d models.Dashboard) string {
	if len(d.TopHosts) == 0 {
		return "none"
	}
	return d.TopHosts[0].ExternalID
}

func topCompleted(d models.Dashboard) int64 {
	if len(d.TopHosts) == 0 {
		return 0
	}
	return d.TopHosts[0].Completed
}
