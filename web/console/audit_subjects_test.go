package console

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

// The audit log names its subjects as people know them (a campaign by its
// name, a reward by its participant), and a publish shows what it changed
// field by field: the campaign's version, the rules that differ, not every
// field of the new version.
func TestConsoleAuditSubjectsAndPublishDiff(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	slug := uniqueDashSlug("audited")
	dashScript(t, owner.tenantID, slug)
	dashIn(t, owner.tenantID, func(ctx context.Context) error {
		c, err := models.GetCampaign(ctx, slug)
		if err != nil {
			return err
		}
		cur, _, err := models.CampaignVersions(ctx, c)
		if err != nil {
			return err
		}
		rules := cur.Rules
		rules.Steps = []string{"signup_complete", "purchase_complete"}
		if _, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: c.Name, Mode: c.Mode, Rules: rules}); err != nil {
			return err
		}
		_, err = models.PublishCampaign(ctx, slug, models.InflightKeep)
		return err
	})

	publishes := b.get("/audit?action=campaign.published").find("audit-entry")
	if publishes.Length() != 2 {
		t.Fatalf("%d publish entries, want 2", publishes.Length())
	}
	fields := func(entry *goquery.Selection) []string {
		var out []string
		entry.Find(`[data-testid="audit-change"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.AttrOr("data-field", ""))
		})
		return out
	}
	second, first := publishes.Eq(0), publishes.Eq(1)
	subject := second.Find(`[data-testid="audit-subject"] a`)
	if strings.TrimSpace(subject.Text()) != "Spring "+slug || subject.AttrOr("href", "") != "/campaigns/"+slug {
		t.Errorf("the publish's subject reads %q, links to %q", subject.Text(), subject.AttrOr("href", ""))
	}
	got := fields(second)
	for _, want := range []string{"campaign.current_version", "version.version", "version.rules.steps"} {
		if !slices.Contains(got, want) {
			t.Errorf("the second publish's diff lacks %s: %v", want, got)
		}
	}
	for _, f := range got {
		if strings.HasPrefix(f, "version.rules.milestones") || strings.HasPrefix(f, "version.rules.guest_reward") || strings.HasPrefix(f, "migrated") {
			t.Errorf("the second publish lists %s, which it did not change", f)
		}
	}
	if got := fields(first); !slices.Contains(got, "campaign.status") || len(got) > 5 {
		t.Errorf("the first publish's diff: %v, want the campaign's status and version, not the whole version", got)
	}

	redeemed := b.get("/audit?action=reward.redeemed").find("audit-entry").First().Find(`[data-testid="audit-subject"]`)
	if text := strings.Join(strings.Fields(redeemed.Text()), " "); text != "Reward of g1" ||
		redeemed.Find("a").AttrOr("href", "") != "/participants/g1" {
		t.Errorf("the redeemed reward's subject reads %q, links to %q", text, redeemed.Find("a").AttrOr("href", ""))
	}
}
