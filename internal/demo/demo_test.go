package demo_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/demo"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "demo", &env) }

func TestSeedCoversEveryStageAndStatus(t *testing.T) {
	ctx := context.Background()
	if exists, err := demo.Exists(ctx, env.App); err != nil || exists {
		t.Fatalf("before seeding: exists=%v err=%v", exists, err)
	}
	creds, err := demo.Seed(ctx, env.App)
	if err != nil {
		t.Fatal(err)
	}
	if exists, err := demo.Exists(ctx, env.App); err != nil || !exists {
		t.Fatalf("after seeding: exists=%v err=%v", exists, err)
	}
	if id, ok, err := tenants.FindTenantBySlug(ctx, env.App, demo.Slug); err != nil || !ok || id.String() != creds.TenantID {
		t.Fatalf("tenant of slug %s: %s, %v, %v; want %s", demo.Slug, id, ok, err, creds.TenantID)
	}
	key, err := tenants.NewVerifier(env.App, 0).Verify(ctx, creds.SecretKey)
	if err != nil || key.TenantID.String() != creds.TenantID {
		t.Fatalf("demo secret key: %+v, %v", key, err)
	}
	statuses := map[string]bool{}
	stages := map[string]bool{}
	env.InTenant(t, uuid.MustParse(creds.TenantID), func(ctx context.Context) error {
		campaigns, _, err := models.ListCampaigns(ctx, models.Page{})
		if err != nil {
			return err
		}
		if len(campaigns) != 2 || campaigns[0].Mode == campaigns[1].Mode {
			t.Fatalf("campaigns = %+v", campaigns)
		}
		for _, host := range []string{"alice", "bruno"} {
			invs, _, err := models.ListHostInvitations(ctx, host, models.Page{})
			if err != nil {
				return err
			}
			for _, inv := range invs {
				stages[inv.Status] = true
				if inv.Status == models.StatusClaimed {
					stages["progress "+string(rune('0'+inv.Progress.Done))] = true
				}
			}
		}
		for _, p := range []string{"alice", "bruno", "gus", "hana", "lea"} {
			rewards, _, err := models.ListParticipantRewards(ctx, p, models.Page{})
			if err != nil {
				return err
			}
			for _, r := range rewards {
				statuses[r.Status] = true
				statuses["kind "+r.Kind] = true
			}
		}
		return nil
	})
	for _, want := range []string{models.StatusPending, models.StatusClaimed, models.StatusCompleted, "progress 0", "progress 1", "progress 2"} {
		if !stages[want] {
			t.Errorf("no invitation at stage %q (have %v)", want, stages)
		}
	}
	for _, want := range []string{models.RewardIssued, models.RewardRedeemed, models.RewardVoided, models.RewardExpired, "kind ticket"} {
		if !statuses[want] {
			t.Errorf("no reward with %q (have %v)", want, statuses)
		}
	}
}
