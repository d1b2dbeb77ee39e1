package widget

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The host reads what a referral earns (the table, what the next one
// pays, how many completed) and the tenant's branding; each friend has a
// label: masked name or address, or their rank when the host typed none.
func TestWidgetEarningsBrandingAndFriends(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeInvitation, "signed_up") // one row, $10 credit, not repeated
	token := w.mint("hana", "spring", time.Hour)
	me := w.get("/widget/v1/me", token, shop)
	want(t, "me", me, http.StatusOK, "")
	earnings := fmt.Sprint(me.JSON["earnings"])
	if earnings != "map[completed:0 milestones:[map[count:1 reward:$10 credit]] next:map[count:1 reward:$10 credit] repeat_last:false]" {
		t.Errorf("earnings before a referral: %s", earnings)
	}
	if b := fmt.Sprint(me.JSON["branding"]); b != "map[accent_color: logo_url: sender_name:]" {
		t.Errorf("branding before any: %s", b)
	}

	for _, recipient := range []string{"gina@example.com", "", "Uncle Bob"} {
		want(t, "an invitation", w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "link", "recipient": recipient}, token, shop), http.StatusCreated, "")
	}
	guests := w.get("/widget/v1/invitations", token, shop).JSON["data"].([]any)
	var labels []string
	for _, g := range guests {
		m := g.(map[string]any)
		labels = append(labels, fmt.Sprint(m["guest"], "#", m["number"]))
	}
	if got := fmt.Sprint(labels); got != "[U••• B.#3 #2 g•••@example.com#1]" {
		t.Errorf("friends newest first, label#rank: %s", got)
	}

	// One friend completes: the only row is earned, nothing is left.
	code := w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "link", "recipient": "Ivan"}, token, shop).JSON["code"].(string)
	w.in(func(ctx context.Context) error {
		if _, err := models.Claim(ctx, code, "ivan"); err != nil {
			return err
		}
		if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: "ivan", Name: "signed_up"}); err != nil {
			return err
		}
		_, err := models.SaveBranding(ctx, models.Branding{AccentColor: "#112233", SenderName: "Shop"})
		return err
	})
	me = w.get("/widget/v1/me", token, shop)
	e := me.JSON["earnings"].(map[string]any)
	if e["completed"] != float64(1) || e["next"] != nil {
		t.Errorf("earnings after the only row: %v", e)
	}
	if b := fmt.Sprint(me.JSON["branding"]); b != "map[accent_color:#112233 logo_url: sender_name:Shop]" {
		t.Errorf("branding: %s", b)
	}
}
