// Package partner is the example backend of a tenant that embeds Tandem's
// widget: it mints a participant token for the signed-in user with the
// tenant's secret key (never sent to the browser) and serves a page with
// the snippet, under a strict Content-Security-Policy that names only
// Tandem's URL. The end-to-end test serves it as the partner's site.
package partner

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
)

// Config is what the example backend needs.
type Config struct {
	// TandemURL is Tandem's PUBLIC_URL: the script and the widget's API.
	TandemURL string
	// SecretKey mints tokens (server side only); PublishableKey goes on
	// the script tag.
	SecretKey, PublishableKey string
	// Campaign is the slug of the campaign the widget shows.
	Campaign string
	// Mint mints a token; nil uses the Go SDK (NewMinter).
	Mint Minter
}

// Minter mints a widget token for a participant in a campaign.
type Minter func(ctx context.Context, participant, campaign string) (token string, err error)

// Handler serves the partner's page: GET /?user=ID (a real site knows its
// signed-in user from its own session; the example takes it from the URL).
func Handler(cfg Config) http.Handler {
	cfg.TandemURL = strings.TrimSuffix(cfg.TandemURL, "/")
	if cfg.Mint == nil {
		cfg.Mint = NewMinter(cfg.TandemURL, cfg.SecretKey)
	}
	csp := "default-src 'none'; script-src " + cfg.TandemURL + "; connect-src " + cfg.TandemURL +
		"; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		user := r.URL.Query().Get("user")
		data := pageData{TandemURL: cfg.TandemURL, PublishableKey: cfg.PublishableKey, Campaign: cfg.Campaign, Locale: r.URL.Query().Get("locale")}
		if user != "" {
			token, err := cfg.Mint(r.Context(), user, cfg.Campaign)
			if err != nil {
				slog.Error("partner: mint widget token", "err", err)
				http.Error(w, "could not mint a widget token", http.StatusBadGateway)
				return
			}
			data.Token = token
		}
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := page.Execute(w, data); err != nil {
			slog.Error("partner: render", "err", err)
		}
	})
	return mux
}

type pageData struct {
	TandemURL, PublishableKey, Campaign, Token, Locale string
}

// page is the partner's page: the snippet, and the element where the
// widget appears (with a token for a signed-in user; otherwise the guest
// offer for a visitor who arrived with ?ref=CODE).
var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Partner shop</title>
<script src="{{.TandemURL}}/widget.js" data-key="{{.PublishableKey}}" async></script>
</head>
<body>
<main>
<h1>Partner shop</h1>
{{if .Token}}<tandem-referral token="{{.Token}}" locale="{{.Locale}}"></tandem-referral>
{{else}}<tandem-referral campaign="{{.Campaign}}" locale="{{.Locale}}"></tandem-referral>
{{end}}</main>
</body>
</html>
`))
