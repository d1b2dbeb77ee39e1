package widget

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The widget keeps the host's client as the host's browser shows it, so
// that a guest claiming later from the same browser carries same_client
// although the tenant's backend never passed the host's client.
func TestWidgetRecordsTheHostsClient(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeInvitation, "signed_up")
	token := w.mint("host", "spring", time.Hour)
	const browser = "Mozilla/5.0 (the host's own browser)"
	r := w.doWith("GET", "/widget/v1/me", nil, "Authorization", "Bearer "+token, "Origin", shop, "User-Agent", browser)
	want(t, "me", r, http.StatusOK, "")

	claimFrom := func(guest, userAgent string) models.Invitation {
		var inv models.Invitation
		w.in(func(ctx context.Context) error {
			created, err := models.CreateInvitation(ctx, "spring", models.InvitationInput{Host: "host"})
			if err != nil {
				return err
			}
			inv, err = models.ClaimFrom(ctx, created.Code, guest, &models.Client{UserAgent: userAgent})
			return err
		})
		return inv
	}
	same := claimFrom("guest-same", browser)
	if len(same.Risk.Signals) != 1 || same.Risk.Signals[0].Code != models.SignalSameClient || !strings.Contains(same.Risk.Signals[0].Detail, "user agent") {
		t.Errorf("a guest in the host's browser: risk %+v, want same_client on the user agent", same.Risk)
	}
	other := claimFrom("guest-other", "Mozilla/5.0 (someone else)")
	if len(other.Risk.Signals) != 0 {
		t.Errorf("a guest in another browser: risk %+v, want none", other.Risk)
	}
}
