package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// TestConsoleOperationsIsolation: a member of tenant B can neither see nor
// change tenant A's participants, invitations, rewards, raffles, keys or
// audit log through any operations URL.
func TestConsoleOperationsIsolation(t *testing.T) {
	ab, a := opsOwner(t)
	reward := opsRewardID(t, a.tenantID, "alice", "$10 cash")
	coupon := opsRewardID(t, a.tenantID, "bob", "$5 off")
	var raffle models.Raffle
	err := tenants.WithTenant(context.Background(), env.App, a.tenantID, func(ctx context.Context) error {
		var err error
		raffle, err = models.DrawRaffle(ctx, "lucky", 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var keyID string
	env.Owner.Raw(`SELECT id FROM api_keys WHERE tenant_id = ? ORDER BY id LIMIT 1`, a.tenantID).Scan(&keyID)
	var invitationID string
	env.Owner.Raw(`SELECT id FROM invitations WHERE tenant_id = ? ORDER BY id LIMIT 1`, a.tenantID).Scan(&invitationID)
	ab.get("/rewards")

	bb := newBrowser(t, ab.app)
	signUp(t, bb)
	bb.get("/rewards")
	secrets := []string{"alice", "alice@example.com", "Spring referrals", "Lucky draw", reward, coupon, raffle.ID, keyID,
		invitationID, raffle.Seed, a.email}
	for _, sc := range []struct {
		name   string
		method string
		path   string
		form   url.Values
		status int
	}{
		{"participants", http.MethodGet, "/participants", nil, http.StatusOK},
		{"participant search", http.MethodGet, "/participants?q=ali", nil, http.StatusOK},
		{"A's participant", http.MethodGet, "/participants/alice", nil, http.StatusNotFound},
		{"A's participant's data", http.MethodGet, "/participants/alice/export", nil, http.StatusNotFound},
		{"A's participant's erasure", http.MethodGet, "/participants/alice/erase", nil, http.StatusNotFound},
		{"erase A's participant", http.MethodPost, "/participants/alice/erase", url.Values{}, http.StatusNotFound},
		{"invitations", http.MethodGet, "/invitations", nil, http.StatusOK},
		{"invitations of A's host", http.MethodGet, "/invitations?host=alice", nil, http.StatusNotFound},
		{"invitations of A's campaign", http.MethodGet, "/invitations?campaign=spring", nil, http.StatusOK},
		{"rewards", http.MethodGet, "/rewards", nil, http.StatusOK},
		{"rewards of A's campaign", http.MethodGet, "/rewards?campaign=spring", nil, http.StatusOK},
		{"rewards of A's participant", http.MethodGet, "/rewards?participant=alice", nil, http.StatusNotFound},
		{"export", http.MethodGet, "/rewards.csv", nil, http.StatusOK},
		{"ask to redeem A's reward", http.MethodGet, "/rewards/" + reward + "/redeem", nil, http.StatusNotFound},
		{"redeem A's reward", http.MethodPost, "/rewards/" + reward + "/redeem", nil, http.StatusNotFound},
		{"void A's reward", http.MethodPost, "/rewards/" + coupon + "/void", nil, http.StatusNotFound},
		{"confirm a bulk void of A's rewards", http.MethodPost, "/rewards/bulk/confirm", url.Values{"action": {"void"}, "id": {reward, coupon}}, http.StatusUnprocessableEntity},
		{"bulk void A's rewards", http.MethodPost, "/rewards/bulk", url.Values{"action": {"void"}, "id": {reward, coupon}}, http.StatusSeeOther},
		{"raffles", http.MethodGet, "/raffles", nil, http.StatusOK},
		{"A's raffle", http.MethodGet, "/raffles/" + raffle.ID, nil, http.StatusNotFound},
		{"draw A's pot", http.MethodPost, "/raffles", url.Values{"campaign": {"lucky"}, "winners": {"1"}}, http.StatusUnprocessableEntity},
		{"events", http.MethodGet, "/events", nil, http.StatusOK},
		{"edit A's event", http.MethodPost, "/events/signup_complete", url.Values{"description": {"mine"}}, http.StatusNotFound},
		{"api keys", http.MethodGet, "/api-keys", nil, http.StatusOK},
		{"revoke A's key", http.MethodPost, "/api-keys/" + keyID + "/revoke", nil, http.StatusNotFound},
		{"audit log", http.MethodGet, "/audit", nil, http.StatusOK},
		{"audit log of A's owner", http.MethodGet, "/audit?actor=member:" + a.memberID, nil, http.StatusOK},
	} {
		t.Run(sc.name, func(t *testing.T) {
			var p *page
			if sc.method == http.MethodGet {
				p = bb.get(sc.path)
			} else {
				p = bb.post(sc.path, sc.form)
			}
			wantStatus(t, p, sc.status)
			body := p.Doc.Find("body").Text()
			if sc.path == "/rewards.csv" {
				body = p.Body
			}
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("tenant B's page shows %q of tenant A", s)
				}
			}
		})
	}
	// A's rewards, key and event are as they were.
	if opsRewardStatus(t, reward) != models.RewardIssued || opsRewardStatus(t, coupon) != models.RewardIssued {
		t.Error("tenant B settled tenant A's reward")
	}
	var revoked int
	env.Owner.Raw(`SELECT count(*) FROM api_keys WHERE id = ? AND revoked_at IS NOT NULL`, keyID).Scan(&revoked)
	var description string
	env.Owner.Raw(`SELECT description FROM event_definitions WHERE tenant_id = ? AND name = 'signup_complete'`, a.tenantID).Scan(&description)
	if revoked != 0 || description == "mine" {
		t.Error("tenant B changed tenant A's key or event")
	}
	// A still sees its own.
	if p := ab.get("/raffles/" + raffle.ID); p.Status != http.StatusOK {
		t.Errorf("A's own raffle: %d", p.Status)
	}
}
