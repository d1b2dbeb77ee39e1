package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// percentForm is v's form with a percentage off typed into each milestone
// row (in order) and into the guest reward.
func percentForm(v campaignValues, rows []string, guest string) url.Values {
	f := v.form()
	f["ms_percent_off"] = rows
	if guest != "" {
		f.Set("guest_percent_off", guest)
	}
	return f
}

// TestCampaignEditorPercentageCoupon: a Stripe coupon typed as a
// percentage off is saved as one, comes back in the editor as typed, adds
// up in the running total as "20% off", and a percentage the models refuse
// (or cannot read) is said next to its input. For any other kind the
// hidden input is not part of the reward.
func TestCampaignEditorPercentageCoupon(t *testing.T) {
	b, owner := builderOwner(t)
	b.get("/campaigns/new")
	slug := uniqueSlug("percent")
	v := threeStepCampaign(slug)
	v.rows = []milestoneRow{{"1", "Launch coupon", "stripe_coupon", "", "", ""}, {"2", "$5 credit", "credit", "", "5", "USD"}}
	v.guest = &milestoneRow{description: "Welcome coupon", kind: "stripe_coupon"}

	p := b.post("/campaigns/new/editor?op=total", percentForm(v, []string{"20", "35"}, "12.5"), "HX-Request", "true")
	wantStatus(t, p, http.StatusOK)
	if lines := p.texts("milestone-total-line"); !slices.Equal(lines, []string{"1 referral = 20% off", "2 referrals = 20% off + $5.00"}) {
		t.Errorf("running total: %v", lines)
	}

	for _, tc := range []struct {
		name, guestAmount, guestPercent, want string
	}{
		{"an amount and a percentage", "5", "12.5", "not both"},
		{"over 100%", "", "120", "at most 100"},
		{"three decimals", "", "12.345", "two decimals"},
		{"not a number", "", "a lot", "Enter a percentage"},
	} {
		v.guest.amount, v.guest.currency = tc.guestAmount, ""
		if tc.guestAmount != "" {
			v.guest.currency = "USD"
		}
		p := b.post("/campaigns/new", percentForm(v, []string{"20", ""}, tc.guestPercent))
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if msg := p.errorText("guest_reward.percent_off"); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: the error next to the percentage is %q", tc.name, msg)
		}
		if got := p.values(`input[name="guest_percent_off"]`); !slices.Equal(got, []string{tc.guestPercent}) {
			t.Errorf("%s: the percentage as typed: %v", tc.name, got)
		}
	}
	if status, _ := campaignRow(t, owner.tenantID, slug); status != "" {
		t.Fatal("a refused campaign was saved")
	}

	// Saved: the credit row's leftover "35" is not part of a credit.
	v.guest.amount, v.guest.currency = "", ""
	wantRedirect(t, b.post("/campaigns/new", percentForm(v, []string{"20", "35"}, "12.5 %")), "/campaigns/"+slug)
	var rows []struct {
		Nth              int
		RewardPercentOff *float64
		RewardAmount     *int64
	}
	env.Owner.Raw(`SELECT nth, reward_percent_off, reward_amount FROM campaign_version_milestones m
		JOIN campaigns c ON c.tenant_id = m.tenant_id AND c.id = m.campaign_id WHERE c.tenant_id = ? AND c.slug = ? ORDER BY nth`,
		owner.tenantID, slug).Scan(&rows)
	if len(rows) != 2 || rows[0].RewardPercentOff == nil || *rows[0].RewardPercentOff != 20 || rows[0].RewardAmount != nil ||
		rows[1].RewardPercentOff != nil || rows[1].RewardAmount == nil || *rows[1].RewardAmount != 500 {
		t.Fatalf("milestones stored as %+v", rows)
	}
	var guest *float64
	env.Owner.Raw(`SELECT guest_reward_percent_off FROM campaign_versions v JOIN campaigns c ON c.tenant_id = v.tenant_id AND c.id = v.campaign_id
		WHERE c.tenant_id = ? AND c.slug = ?`, owner.tenantID, slug).Scan(&guest)
	if guest == nil || *guest != 12.5 {
		t.Fatalf("guest percentage stored as %v", guest)
	}

	p = b.get("/campaigns/" + slug + "/edit")
	if got := p.values(`input[name="ms_percent_off"]`); !slices.Equal(got, []string{"20", ""}) {
		t.Errorf("percentages in the editor: %v", got)
	}
	if got := p.values(`input[name="guest_percent_off"]`); !slices.Equal(got, []string{"12.5"}) {
		t.Errorf("the guest's percentage in the editor: %v", got)
	}
	if page := b.get("/campaigns/" + slug); !strings.Contains(page.Doc.Text(), "12.5% off") {
		t.Error("the campaign page does not show the guest's 12.5% off")
	}
}

// TestRewardsCSVPercentOff: a percentage coupon's row carries its
// percentage, and its value in words; an amount's row leaves it empty.
func TestRewardsCSVPercentOff(t *testing.T) {
	percent, amount, usd := 12.5, int64(500), "USD"
	col := slices.Index(rewardsCSVHeader, "percent_off")
	value := slices.Index(rewardsCSVHeader, "value")
	p := rewardCSVRecord(models.QueuedReward{RewardToken: models.RewardToken{ID: "rwd_1", Kind: "stripe_coupon", Quantity: 1, PercentOff: &percent}})
	if len(p) != len(rewardsCSVHeader) || p[col] != "12.5" || p[value] != "12.5% off" {
		t.Errorf("percentage row %q", p)
	}
	a := rewardCSVRecord(models.QueuedReward{RewardToken: models.RewardToken{ID: "rwd_2", Kind: "stripe_coupon", Quantity: 1, Amount: &amount, Currency: &usd}})
	if a[col] != "" || a[value] != "$5.00" {
		t.Errorf("amount row %q", a)
	}
}
