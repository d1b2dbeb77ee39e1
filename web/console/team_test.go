package console

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tandemhq/tandem/models"
)

// joinPath is the path of the join link on the invitation panel of p.
func joinPath(t *testing.T, p *page) string {
	t.Helper()
	link, ok := p.find("invite-link").Attr("value")
	if !ok {
		t.Fatalf("no invitation link:\n%s", p.Body)
	}
	u, err := url.Parse(link)
	if err != nil || u.Host != "tandem.test" || !strings.HasPrefix(u.Path, "/join/") {
		t.Fatalf("invitation link %q", link)
	}
	return u.Path
}

func TestConsoleTeamInvitation(t *testing.T) {
	app := newConsoleApp(t)
	ob := newBrowser(t, app)
	owner := signUp(t, ob)
	team := ob.get("/team")
	wantStatus(t, team, http.StatusOK)
	if team.find("member").Length() != 1 || team.find("empty-state").Length() != 1 {
		t.Fatalf("a new team: %d members, %d empty states", team.find("member").Length(), team.find("empty-state").Length())
	}

	// The owner invites through htmx: the panel comes back as a fragment,
	// with the pending list out of band.
	email := "marketer-" + owner.memberID[4:12] + "@console.test"
	p := ob.post("/team/invitations", url.Values{"email": {email}, "role": {"marketer"}}, "HX-Request", "true")
	wantStatus(t, p, http.StatusCreated)
	if !strings.Contains(p.Header.Get("Vary"), "HX-Request") {
		t.Errorf("Vary %q lacks HX-Request", p.Header.Get("Vary"))
	}
	if p.find("sidebar").Length() != 0 || p.find("invite-panel").Length() != 1 {
		t.Fatal("htmx got a whole page, not the panel")
	}
	if pending := p.Doc.Find(`#pending-invitations[hx-swap-oob]`); pending.Length() != 1 || !strings.Contains(pending.Text(), email) {
		t.Error("no out-of-band pending list with the invitation")
	}
	path := joinPath(t, p)
	if got := ob.get("/team"); got.find("invite-link").Length() != 0 || !strings.Contains(got.text("pending-invitations"), email) {
		t.Error("the link is shown again, or the invitation is not pending")
	}
	var stored int
	env.Owner.Raw(`SELECT count(*) FROM member_invitations WHERE token_hash = sha256(convert_to(?, 'UTF8'))`, strings.TrimPrefix(path, "/join/")).Scan(&stored)
	if stored != 1 {
		t.Error("the invitation is not stored by its token's SHA-256")
	}

	// The invitee opens the link and chooses a password.
	ib := newBrowser(t, app)
	join := ib.get(path)
	wantStatus(t, join, http.StatusOK)
	if v, _ := join.find("join-email").Attr("value"); v != email || join.text("join-role") != "Marketer" {
		t.Errorf("join page for %q as %q", v, join.text("join-role"))
	}
	wantStatus(t, ib.post(path, url.Values{"password": {"short"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, ib.post(path, url.Values{"password": {consolePassword}}), "/")
	home := ib.get("/")
	wantStatus(t, home, http.StatusOK)
	if home.text("member-email") != email || home.text("member-role") != "Marketer" || home.text("flash-message") == "" {
		t.Errorf("after joining: %q %q flash %q", home.text("member-email"), home.text("member-role"), home.text("flash-message"))
	}
	member := lookupAccount(t, email)
	if member.tenantID != owner.tenantID {
		t.Fatal("joined another tenant")
	}

	// The new member logs in with their password.
	logIn(t, newBrowser(t, app), member)

	// The link works once.
	again := newBrowser(t, app)
	p = again.get(path)
	wantStatus(t, p, http.StatusGone)
	if p.text("dead-end-title") != joinUsed.Title {
		t.Errorf("used link: %q", p.text("dead-end-title"))
	}
	wantStatus(t, again.post(path, url.Values{"password": {consolePassword}}), http.StatusGone)

	// Unknown and malformed links get a friendly page.
	for _, bad := range []string{"/join/" + strings.Repeat("A", 43), "/join/nope"} {
		p := again.get(bad)
		wantStatus(t, p, http.StatusNotFound)
		if p.text("dead-end-title") != joinUnknown.Title {
			t.Errorf("%s: %q", bad, p.text("dead-end-title"))
		}
	}

	// Every step is in the audit log, the join by the new member.
	var actions []string
	env.Owner.Raw(`SELECT action || ' by ' || actor FROM audit_log WHERE tenant_id = ? AND action LIKE 'member%' ORDER BY id`, owner.tenantID).Scan(&actions)
	want := []string{"member.added by system", "member_invitation.created by member:" + owner.memberID, "member.joined by member:" + member.memberID}
	if strings.Join(actions, "; ") != strings.Join(want, "; ") {
		t.Errorf("audit log %v, want %v", actions, want)
	}
}

func TestConsoleTeamInvitationEdgeCases(t *testing.T) {
	app := newConsoleApp(t)
	ob := newBrowser(t, app)
	owner := signUp(t, ob)
	ob.get("/team")

	t.Run("plain form post gets the whole page with the link", func(t *testing.T) {
		p := ob.post("/team/invitations", url.Values{"email": {"plain-" + owner.memberID[4:12] + "@console.test"}, "role": {"viewer"}})
		wantStatus(t, p, http.StatusCreated)
		if p.find("sidebar").Length() != 1 {
			t.Error("not a whole page")
		}
		joinPath(t, p)
	})

	t.Run("an existing member cannot be invited", func(t *testing.T) {
		p := ob.post("/team/invitations", url.Values{"email": {owner.email}, "role": {"viewer"}}, "HX-Request", "true")
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if !strings.Contains(p.text("error-email"), "already on the team") {
			t.Errorf("error %q", p.text("error-email"))
		}
		if v, _ := p.Doc.Find(`input[name="email"]`).Attr("value"); v != owner.email {
			t.Errorf("the form lost the e-mail: %q", v)
		}
	})

	t.Run("a new invitation replaces the pending one", func(t *testing.T) {
		email := "twice-" + owner.memberID[4:12] + "@console.test"
		first := joinPath(t, ob.post("/team/invitations", url.Values{"email": {email}, "role": {"viewer"}}, "HX-Request", "true"))
		second := joinPath(t, ob.post("/team/invitations", url.Values{"email": {email}, "role": {"admin"}}, "HX-Request", "true"))
		b := newBrowser(t, app)
		wantStatus(t, b.get(first), http.StatusGone)
		if p := b.get(second); p.Status != http.StatusOK || p.text("join-role") != "Admin" {
			t.Errorf("second link: %d %q", p.Status, p.text("join-role"))
		}
	})

	t.Run("expired link", func(t *testing.T) {
		email := "late-" + owner.memberID[4:12] + "@console.test"
		path := joinPath(t, ob.post("/team/invitations", url.Values{"email": {email}, "role": {"viewer"}}, "HX-Request", "true"))
		env.Owner.Exec(`UPDATE member_invitations SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE email = ?`, email)
		b := newBrowser(t, app)
		p := b.get(path)
		wantStatus(t, p, http.StatusGone)
		if p.text("dead-end-title") != joinExpired.Title {
			t.Errorf("expired link: %q", p.text("dead-end-title"))
		}
		wantStatus(t, b.post(path, url.Values{"password": {consolePassword}}), http.StatusGone)
		// The schema refuses it too, whatever the code checks.
		err := env.Owner.Exec(`UPDATE member_invitations SET accepted_at = now() WHERE email = ?`, email).Error
		if constraintName(err) != "member_invitation_expired" {
			t.Errorf("accepting an expired invitation in SQL: %v", err)
		}
	})

	t.Run("withdrawn link", func(t *testing.T) {
		email := "withdrawn-" + owner.memberID[4:12] + "@console.test"
		path := joinPath(t, ob.post("/team/invitations", url.Values{"email": {email}, "role": {"viewer"}}, "HX-Request", "true"))
		var id string
		env.Owner.Raw(`SELECT id FROM member_invitations WHERE email = ?`, email).Scan(&id)
		wantRedirect(t, ob.post("/team/invitations/"+id+"/revoke", nil), "/team")
		wantStatus(t, newBrowser(t, app).get(path), http.StatusGone)
		err := env.Owner.Exec(`UPDATE member_invitations SET revoked_at = NULL WHERE id = ?`, id).Error
		if constraintName(err) != "member_invitation_used" {
			t.Errorf("reopening a withdrawn invitation in SQL: %v", err)
		}
	})
}

// constraintName is the constraint a PostgreSQL error names, or "".
func constraintName(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return models.ConstraintName(pgErr)
	}
	return ""
}

// TestConsoleIsolation: a member of tenant B neither sees nor changes
// anything of tenant A through the console's team URLs.
func TestConsoleIsolation(t *testing.T) {
	app := newConsoleApp(t)
	ab := newBrowser(t, app)
	a := signUp(t, ab)
	aMember := addMember(t, a.tenantID, models.RoleAdmin)
	ab.get("/team")
	inviteEmail := "secret-invitee-" + a.memberID[4:12] + "@console.test"
	wantStatus(t, ab.post("/team/invitations", url.Values{"email": {inviteEmail}, "role": {"viewer"}}), http.StatusCreated)
	var invID string
	env.Owner.Raw(`SELECT id FROM member_invitations WHERE email = ?`, inviteEmail).Scan(&invID)
	var aName string
	env.Owner.Raw(`SELECT name FROM tenants WHERE id = ?`, a.tenantID).Scan(&aName)

	bb := newBrowser(t, app)
	signUp(t, bb)
	bb.get("/team")
	secrets := []string{a.email, aMember.email, inviteEmail, aName, a.memberID, aMember.memberID, invID}
	for _, sc := range []struct {
		name   string
		method string
		path   string
		form   url.Values
		status int
	}{
		{"team page", http.MethodGet, "/team", nil, http.StatusOK},
		{"dashboard", http.MethodGet, "/", nil, http.StatusOK},
		{"change A's member's role", http.MethodPost, "/team/members/" + aMember.memberID + "/role", url.Values{"role": {"viewer"}}, http.StatusNotFound},
		{"demote A's owner", http.MethodPost, "/team/members/" + a.memberID + "/role", url.Values{"role": {"viewer"}}, http.StatusNotFound},
		{"remove A's member", http.MethodPost, "/team/members/" + aMember.memberID + "/remove", nil, http.StatusNotFound},
		{"withdraw A's invitation", http.MethodPost, "/team/invitations/" + invID + "/revoke", nil, http.StatusNotFound},
	} {
		t.Run(sc.name, func(t *testing.T) {
			var p *page
			if sc.method == http.MethodGet {
				p = bb.get(sc.path)
			} else {
				p = bb.post(sc.path, sc.form)
			}
			wantStatus(t, p, sc.status)
			for _, s := range secrets {
				// The path itself may echo an id; the page must not.
				if strings.Contains(p.Doc.Find("body").Text(), s) {
					t.Errorf("tenant B's page shows %q of tenant A", s)
				}
			}
		})
	}
	if memberRole(t, aMember) != models.RoleAdmin || memberRole(t, a) != models.RoleOwner {
		t.Error("tenant B changed tenant A's team")
	}
	var revoked int
	env.Owner.Raw(`SELECT count(*) FROM member_invitations WHERE id = ? AND revoked_at IS NOT NULL`, invID).Scan(&revoked)
	if revoked != 0 {
		t.Error("tenant B withdrew tenant A's invitation")
	}
}
