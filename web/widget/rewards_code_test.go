package widget

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// TestHostSeesStripeCouponCode: a fulfilled Stripe coupon shows its
// promotion code in the widget; nothing else about the fulfilment does.
func TestHostSeesStripeCouponCode(t *testing.T) {
	w := newWidgetTenant(t, shop)
	amount := int64(500)
	var code string
	w.in(func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "signed_up", ""); err != nil {
			return err
		}
		rules := models.Rules{Steps: []string{"signed_up"}, Milestones: []models.Milestone{{Count: 1,
			Reward: models.Reward{Description: "$5 off", Kind: models.RewardStripeCoupon, Amount: &amount, Currency: "USD"}}}}
		if _, _, err := models.SaveCampaignDraft(ctx, "coupons", models.CampaignInput{Name: "Coupons", Mode: models.ModeReferrerCode, Rules: rules}); err != nil {
			return err
		}
		if _, err := models.PublishCampaign(ctx, "coupons", models.InflightKeep); err != nil {
			return err
		}
		var err error
		code, err = models.ReferrerCode(ctx, "coupons", "host")
		if err != nil {
			return err
		}
		_, err = models.Claim(ctx, code, "guest")
		return err
	})
	w.event("guest", "signed_up")
	token := w.mint("host", "coupons", time.Hour)
	reward := func() map[string]any {
		t.Helper()
		r := w.get("/widget/v1/rewards", token, shop)
		want(t, "rewards", r, http.StatusOK, "")
		return r.JSON["data"].([]any)[0].(map[string]any)
	}
	if r := reward(); r["code"] != nil || r["kind"] != "stripe_coupon" {
		t.Errorf("a pending coupon: %v", r)
	}
	if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_1', code = 'HOST5OFF'
		WHERE reward_id = ?`, reward()["id"]).Error; err != nil {
		t.Fatal(err)
	}
	if r := reward(); r["code"] != "HOST5OFF" || r["fulfilment"] != nil || r["stripe_object"] != nil {
		t.Errorf("a fulfilled coupon: %v", r)
	}
}
