package views

import (
	"context"
	"encoding/json"

	"github.com/tandemhq/tandem/models"
)

// Shell is what every console page knows about its request: who is signed
// in, the CSRF token for its forms, the flash messages to show and which
// navigation entry is current. The web layer puts it in the context that
// components render with (WithShell); components read it with ShellFrom,
// CSRFToken and Can, so page components need no extra parameters for it.
type Shell struct {
	TenantName  string
	MemberEmail string
	// Role is the member's role; empty on pages for signed-out visitors.
	Role string
	// CSRFToken is the session's token, sent back by every form (CSRFField)
	// and every htmx request (hx-headers on <body>).
	CSRFToken string
	Flashes   []Flash
	// StepLabels are the tenant's event labels: components show a quest
	// step with StepLabel, wherever it appears.
	StepLabels models.StepLabels
}

// StepLabel is what a person reads for the quest step (event) name: its
// label, or the name.
func StepLabel(ctx context.Context, name string) string { return ShellFrom(ctx).StepLabels.Of(name) }

// SignedIn reports whether the page is for a signed-in member.
func (s Shell) SignedIn() bool { return s.Role != "" }

// Flash is a one-time message shown at the top of the next full page.
type Flash struct {
	// Kind is FlashSuccess, FlashError or FlashInfo.
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Flash kinds.
const (
	FlashSuccess = "success"
	FlashError   = "error"
	FlashInfo    = "info"
)

type shellKey struct{}

// WithShell returns ctx carrying s for the components rendered with it.
func WithShell(ctx context.Context, s Shell) context.Context {
	return context.WithValue(ctx, shellKey{}, s)
}

// ShellFrom returns the Shell in ctx, or the zero Shell.
func ShellFrom(ctx context.Context) Shell {
	s, _ := ctx.Value(shellKey{}).(Shell)
	return s
}

// CSRFToken returns the session's CSRF token for a form or an htmx request.
func CSRFToken(ctx context.Context) string { return ShellFrom(ctx).CSRFToken }

// Can reports whether the signed-in member may do p, for hiding what they
// may not. The server checks again on every action.
func Can(ctx context.Context, p models.Permission) bool {
	return models.Can(ShellFrom(ctx).Role, p)
}

// htmxHeaders is the hx-headers value of <body>: every htmx request sends
// the CSRF token in X-CSRF-Token.
func htmxHeaders(ctx context.Context) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": CSRFToken(ctx)})
	return string(b)
}

// htmxConfig configures htmx for a Content-Security-Policy without
// 'unsafe-inline' or 'unsafe-eval': no injected indicator styles (the
// .htmx-indicator rules are in console.css), no eval (so no hx-on or js:
// values), no scripts run from swapped content. responseHandling is htmx
// 2's default plus one rule: a 422 is swapped like a 2xx, so a form
// answered with its validation errors shows them in place.
const htmxConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},` +
	`{"code":"[45]..","swap":false,"error":true},{"code":"...","swap":false}]}`

// htmxFile is the vendored htmx 2 build in static/ (see static/VENDORED.md).
const htmxFile = "htmx-2.0.11.min.js"

// RoleLabel is how a role reads on a page.
func RoleLabel(role string) string {
	switch role {
	case models.RoleOwner:
		return "Owner"
	case models.RoleAdmin:
		return "Admin"
	case models.RoleMarketer:
		return "Marketer"
	case models.RoleViewer:
		return "Viewer"
	}
	return role
}

// RoleDescription says in a few words what a role may do.
func RoleDescription(role string) string {
	switch role {
	case models.RoleOwner:
		return "Everything, including the team"
	case models.RoleAdmin:
		return "Configures campaigns, rewards and API keys"
	case models.RoleMarketer:
		return "Reads dashboards and exports; changes nothing"
	case models.RoleViewer:
		return "Reads everything; changes nothing"
	}
	return ""
}
