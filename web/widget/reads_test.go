package widget

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
)

// A host in a referrer-code campaign sees their code, link and QR code,
// then each guest's progress move with the guest's events, and the reward
// once the quest is complete.
func TestHostSeesGuestsProgressAndRewards(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeReferrerCode, "signed_up", "first_order")
	token := w.mint("host", "spring", time.Hour)

	me := w.get("/widget/v1/me", token, shop)
	want(t, "me", me, http.StatusOK, "")
	code, _ := me.JSON["code"].(string)
	url, _ := me.JSON["url"].(string)
	qr, _ := me.JSON["qr"].(map[string]any)
	if len(code) != 8 || url != tandemAt+"/i/"+code || qr == nil || qr["size"].(float64) < 21 {
		t.Fatalf("me: %s", me.Body)
	}
	if n := int(qr["size"].(float64)); len(qr["modules"].(string)) != n*n || strings.Trim(qr["modules"].(string), "01") != "" {
		t.Errorf("qr modules: %d for size %d", len(qr["modules"].(string)), n)
	}
	if r := w.get("/widget/v1/invitations", token, shop); len(r.JSON["data"].([]any)) != 0 {
		t.Errorf("no guests yet: %s", r.Body)
	}

	w.in(func(ctx context.Context) error {
		if _, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "guest", DisplayName: ptr("Alice Martin")}); err != nil {
			return err
		}
		_, err := models.Claim(ctx, code, "guest")
		return err
	})
	guest := func() map[string]any {
		t.Helper()
		r := w.get("/widget/v1/invitations", token, shop)
		want(t, "invitations", r, http.StatusOK, "")
		data := r.JSON["data"].([]any)
		if len(data) != 1 {
			t.Fatalf("invitations: %s", r.Body)
		}
		if strings.Contains(string(r.Body), `"guest":"guest"`) || strings.Contains(string(r.Body), "Alice Martin") {
			t.Errorf("the guest's external id or full name is shown: %s", r.Body)
		}
		return data[0].(map[string]any)
	}
	g := guest()
	if g["guest"] != "A••• M." || g["status"] != "claimed" || g["step"] != 0.0 || g["steps"] != 2.0 || g["next_step"] != "signed_up" || g["completed"] != false {
		t.Errorf("claimed: %v", g)
	}
	w.event("guest", "signed_up")
	if g = guest(); g["step"] != 1.0 || g["next_step"] != "first_order" {
		t.Errorf("after signed_up: %v", g)
	}
	if r := w.get("/widget/v1/rewards", token, shop); len(r.JSON["data"].([]any)) != 0 {
		t.Errorf("a reward before the quest is done: %s", r.Body)
	}
	w.event("guest", "first_order")
	if g = guest(); g["step"] != 2.0 || g["next_step"] != nil || g["completed"] != true || g["status"] != "completed" {
		t.Errorf("completed: %v", g)
	}
	r := w.get("/widget/v1/rewards", token, shop)
	rewards := r.JSON["data"].([]any)
	if len(rewards) != 1 || rewards[0].(map[string]any)["description"] != "$10 credit" || rewards[0].(map[string]any)["status"] != "issued" {
		t.Errorf("rewards: %s", r.Body)
	}

	// Paging is checked.
	want(t, "bad limit", w.get("/widget/v1/invitations?limit=0", token, shop), http.StatusBadRequest, "invalid_limit")
	want(t, "bad cursor", w.get("/widget/v1/invitations?after=x", token, shop), http.StatusBadRequest, "invalid_cursor")
	want(t, "unknown path", w.get("/widget/v1/nope", token, shop), http.StatusNotFound, "not_found")
	want(t, "unknown method", w.do("DELETE", "/widget/v1/me", nil, token, shop), http.StatusMethodNotAllowed, "method_not_allowed")
}

func ptr[T any](v T) *T { return &v }

// In an invitation campaign the host invites a friend from the widget;
// once the campaign has ended, the widget says so and invites nobody.
func TestInvitationModeAndEndedCampaign(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("manual", models.ModeInvitation, "signed_up")
	token := w.mint("host", "manual", time.Hour)
	me := w.get("/widget/v1/me", token, shop)
	if me.JSON["code"] != nil || me.JSON["campaign"].(map[string]any)["mode"] != "invitation" {
		t.Errorf("me in invitation mode: %s", me.Body)
	}
	r := w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "email", "recipient": "bob@friends.example"}, token, shop)
	want(t, "invite", r, http.StatusCreated, "")
	if !strings.HasPrefix(r.JSON["url"].(string), tandemAt+"/i/") {
		t.Errorf("invitation: %s", r.Body)
	}
	list := w.get("/widget/v1/invitations", token, shop)
	if g := list.JSON["data"].([]any)[0].(map[string]any); g["guest"] != "b•••@friends.example" || g["status"] != "pending" {
		t.Errorf("pending invitation: %v", g)
	}
	want(t, "bad json", w.do("POST", "/widget/v1/invitations", "{", token, shop), http.StatusBadRequest, "invalid_json")

	w.in(func(ctx context.Context) error {
		_, err := models.ChangeCampaignStatus(ctx, "manual", models.ActionEnd)
		return err
	})
	if me := w.get("/widget/v1/me", token, shop); me.JSON["campaign"].(map[string]any)["status"] != "ended" {
		t.Errorf("ended: %s", me.Body)
	}
	want(t, "invite after the end", w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "email", "recipient": "c@x.example"}, token, shop),
		http.StatusGone, "campaign_ended")
}

// A token expires by the widget's clock and dies with its key; a fresh one
// works at once.
func TestTokenExpiresAndDiesWithItsKey(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeReferrerCode, "signed_up")
	token := w.mint("host", "spring", 10*time.Minute)
	want(t, "fresh", w.get("/widget/v1/me", token, shop), http.StatusOK, "")
	w.clock.advance(10 * time.Minute)
	r := w.get("/widget/v1/me", token, shop)
	want(t, "expired", r, http.StatusUnauthorized, "token_expired")
	if r.Header.Get("Access-Control-Allow-Origin") != shop {
		t.Errorf("the widget cannot read why: ACAO %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	want(t, "expired, from another origin", w.get("/widget/v1/me", token, evil), http.StatusForbidden, "origin_not_allowed")
	fresh := w.mint("host", "spring", time.Hour)
	want(t, "refreshed", w.get("/widget/v1/me", fresh, shop), http.StatusOK, "")

	key := w.secretKeyID()
	w.in(func(ctx context.Context) error {
		_, err := models.RevokeAPIKey(ctx, key)
		return err
	})
	want(t, "revoked key", w.get("/widget/v1/me", fresh, shop), http.StatusUnauthorized, "token_invalid")
}

// A token names one tenant, participant and campaign: another tenant's
// rows with the same names never show, nor the same host's other campaign.
func TestTokenSeesOnlyItsOwnHostAndCampaign(t *testing.T) {
	a, b := newWidgetTenant(t, shop), newWidgetTenant(t, shop)
	for _, w := range []*widgetTenant{a, b} {
		w.publish("spring", models.ModeInvitation, "signed_up")
		w.publish("autumn", models.ModeInvitation, "signed_up")
	}
	invite := func(w *widgetTenant, campaign, host, recipient string) {
		w.in(func(ctx context.Context) error {
			_, err := models.CreateInvitation(ctx, campaign, models.InvitationInput{Host: host, Channel: "email", Recipient: recipient})
			return err
		})
	}
	invite(a, "spring", "host", "mine@a.example")
	invite(a, "autumn", "host", "autumn@a.example")
	invite(a, "spring", "other-host", "other@a.example")
	invite(b, "spring", "host", "tenant-b@b.example")
	token := a.mint("host", "spring", time.Hour)
	r := a.get("/widget/v1/invitations", token, shop)
	if data := r.JSON["data"].([]any); len(data) != 1 || data[0].(map[string]any)["guest"] != "m•••@a.example" {
		t.Errorf("a's host in spring: %s", r.Body)
	}
	// B's app (the same server) with A's token still answers A's data only.
	if r := b.get("/widget/v1/invitations", token, shop); strings.Contains(string(r.Body), "b.example") {
		t.Errorf("tenant B's data: %s", r.Body)
	}
}

// The guest offer is read with the publishable key, from an allowed origin.
func TestGuestOfferWithPublishableKey(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeReferrerCode, "signed_up")
	r := w.get("/widget/v1/offer?campaign=spring&key="+w.created.PublishableKey, "", shop)
	want(t, "offer", r, http.StatusOK, "")
	if r.JSON["name"] != "Campaign spring" || r.Header.Get("Access-Control-Allow-Origin") != shop {
		t.Errorf("offer: %s %v", r.Body, r.Header)
	}
	want(t, "bearer pk", w.get("/widget/v1/offer?campaign=spring", w.created.PublishableKey, shop), http.StatusOK, "")
	want(t, "secret key", w.get("/widget/v1/offer?campaign=spring&key="+w.created.SecretKey, "", shop), http.StatusUnauthorized, "key_invalid")
	want(t, "no key", w.get("/widget/v1/offer?campaign=spring", "", shop), http.StatusUnauthorized, "key_invalid")
	want(t, "another origin", w.get("/widget/v1/offer?campaign=spring&key="+w.created.PublishableKey, "", evil), http.StatusForbidden, "origin_not_allowed")
	want(t, "unknown campaign", w.get("/widget/v1/offer?campaign=nope&key="+w.created.PublishableKey, "", shop), http.StatusNotFound, "campaign_not_found")

	// Unknown keys cost a hash each: an address gets keyChecksPerAddress a
	// minute; the cached valid key is never counted.
	unknown := "pk_" + strings.Repeat("a", 48)
	var r2 webtest.Response
	for range keyChecksPerAddress + 1 {
		r2 = w.get("/widget/v1/offer?campaign=spring&key="+unknown, "", shop)
	}
	want(t, "a flood of unknown keys", r2, http.StatusTooManyRequests, "rate_limited")
	if r2.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	want(t, "the cached key", w.get("/widget/v1/offer?campaign=spring&key="+w.created.PublishableKey, "", shop), http.StatusOK, "")
}

func TestMaskName(t *testing.T) {
	for in, out := range map[string]string{
		"Alice Martin": "A••• M.", "alice": "a•••", "Élodie de la Tour": "É••• T.", "bob@friends.example": "b•••@friends.example",
		"+33612345678": "•••78", "": "", "  ": "",
	} {
		if got := models.MaskName(in); got != out {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, out)
		}
	}
}
