package widget

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/tandemhq/tandem/models"
)

// meJSON is what the widget shows first: the host, the campaign and, in a
// running referrer-code campaign, the host's code, link and its QR code.
type meJSON struct {
	Participant participantJSON `json:"participant"`
	Campaign    campaignJSON    `json:"campaign"`
	Code        *string         `json:"code"`
	URL         *string         `json:"url"`
	QR          *qrJSON         `json:"qr"`
	ExpiresAt   time.Time       `json:"expires_at"`
	// Earnings is what the host's referrals earn; Branding the tenant's
	// logo, colour and name; Texts its words for the widget's places;
	// Translations its translations of the campaign's name, its steps'
	// labels and its rewards' descriptions, which the widget picks from by
	// its language (for the invitations and rewards it lists too).
	Earnings     models.WidgetEarnings     `json:"earnings"`
	Branding     models.Branding           `json:"branding"`
	Texts        models.WidgetTexts        `json:"texts"`
	Translations models.WidgetTranslations `json:"translations"`
}

type participantJSON struct {
	DisplayName string `json:"display_name"`
}

type campaignJSON struct {
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Mode   string `json:"mode"`
	Status string `json:"status"`
}

// qrJSON is a QR code as its modules, row by row ('1' dark), which the
// widget draws as SVG: no image is fetched, so the partner's CSP needs no
// img-src for it.
type qrJSON struct {
	Size    int    `json:"size"`
	Modules string `json:"modules"`
}

// showMe answers GET /widget/v1/me.
func (h *handler) showMe(c *fiber.Ctx) error {
	return h.inSession(c, func(ctx context.Context, host models.WidgetHost) error {
		// The widget is the host's own browser: what it reads from is what
		// a guest claiming from the same device would show (same_client).
		client := models.Client{IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)}
		if err := models.RecordHostClient(ctx, host.ParticipantID, client); err != nil {
			return err
		}
		out := meJSON{
			Participant: participantJSON{DisplayName: host.DisplayName},
			Campaign:    campaignJSON{Slug: host.Campaign.Slug, Name: host.Campaign.Name, Mode: host.Campaign.Mode, Status: host.Campaign.Status},
			ExpiresAt:   session(c).ExpiresAt.UTC(),
		}
		var err error
		if out.Earnings, err = models.GetWidgetEarnings(ctx, host.ParticipantID, host.Campaign); err != nil {
			return err
		}
		if out.Branding, err = models.GetBranding(ctx); err != nil {
			return err
		}
		out.Branding.UpdatedAt = nil
		texts, err := models.GetGuestTexts(ctx)
		if err != nil {
			return err
		}
		out.Texts = texts.Widget()
		translations, err := models.CampaignTranslations(ctx, host.Campaign.Slug)
		if err != nil {
			return err
		}
		out.Translations = translations.Widget()
		if host.Campaign.Mode == models.ModeReferrerCode && host.Campaign.Status == models.CampaignActive {
			code, err := models.ReferrerCode(ctx, host.Campaign.Slug, host.ExternalID)
			if err != nil {
				return err
			}
			link := h.codeURL(code)
			qr, err := encodeQR(link)
			if err != nil {
				return err
			}
			out.Code, out.URL, out.QR = &code, &link, qr
		}
		return c.JSON(out)
	})
}

// encodeQR encodes s as a QR code with medium error correction.
func encodeQR(s string) (*qrJSON, error) {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	var b strings.Builder
	b.Grow(len(bits) * len(bits))
	for _, row := range bits {
		for _, dark := range row {
			if dark {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		}
	}
	return &qrJSON{Size: len(bits), Modules: b.String()}, nil
}
