package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

func TestConsoleRoles(t *testing.T) {
	app := newConsoleApp(t)
	ob := newBrowser(t, app)
	owner := signUp(t, ob)
	admin := addMember(t, owner.tenantID, models.RoleAdmin)
	marketer := addMember(t, owner.tenantID, models.RoleMarketer)
	viewer := addMember(t, owner.tenantID, models.RoleViewer)

	t.Run("a viewer sees the team but cannot change it", func(t *testing.T) {
		vb := newBrowser(t, app)
		logIn(t, vb, viewer)
		team := vb.get("/team")
		wantStatus(t, team, http.StatusOK)
		if team.find("member").Length() != 4 {
			t.Errorf("%d members listed", team.find("member").Length())
		}
		if team.find("invite-form").Length()+team.find("role-form").Length()+team.find("remove-member").Length() != 0 {
			t.Error("a viewer is shown team controls")
		}
		for path, form := range map[string]url.Values{
			"/team/invitations":                           {"email": {"v@console.test"}, "role": {"owner"}},
			"/team/members/" + viewer.memberID + "/role":  {"role": {"owner"}},
			"/team/members/" + owner.memberID + "/role":   {"role": {"viewer"}},
			"/team/members/" + owner.memberID + "/remove": nil,
		} {
			p := vb.post(path, form)
			wantStatus(t, p, http.StatusForbidden)
			if p.text("error-title") != errForbidden.Title {
				t.Errorf("%s: %q", path, p.text("error-title"))
			}
		}
		if memberRole(t, viewer) != models.RoleViewer || memberRole(t, owner) != models.RoleOwner {
			t.Error("a refused request changed a role")
		}
	})

	t.Run("an admin cannot remove or demote the owner, nor manage the team", func(t *testing.T) {
		ab := newBrowser(t, app)
		logIn(t, ab, admin)
		wantStatus(t, ab.post("/team/members/"+owner.memberID+"/remove", nil), http.StatusForbidden)
		wantStatus(t, ab.post("/team/members/"+owner.memberID+"/role", url.Values{"role": {"admin"}}), http.StatusForbidden)
		wantStatus(t, ab.post("/team/members/"+admin.memberID+"/role", url.Values{"role": {"owner"}}), http.StatusForbidden)
		if memberRole(t, owner) != models.RoleOwner || memberRole(t, admin) != models.RoleAdmin {
			t.Error("a refused request changed a role")
		}
	})

	t.Run("a marketer sees no team controls", func(t *testing.T) {
		mb := newBrowser(t, app)
		logIn(t, mb, marketer)
		if p := mb.get("/team"); p.find("invite-form").Length() != 0 {
			t.Error("a marketer is shown the invitation form")
		}
	})

	t.Run("the last owner can be neither demoted nor removed", func(t *testing.T) {
		ob.get("/team")
		wantRedirect(t, ob.post("/team/members/"+owner.memberID+"/role", url.Values{"role": {"admin"}}), "/team")
		if p := ob.get("/team"); !strings.Contains(p.text("flash-message"), "at least one owner") {
			t.Errorf("flash %q", p.text("flash-message"))
		}
		wantRedirect(t, ob.post("/team/members/"+owner.memberID+"/remove", nil), "/team")
		if memberRole(t, owner) != models.RoleOwner {
			t.Fatal("the last owner was demoted or removed")
		}
		if p := ob.get("/"); p.Status != http.StatusOK {
			t.Errorf("the owner was signed out: %d", p.Status)
		}
	})

	t.Run("the owner changes roles; the acting session is renewed", func(t *testing.T) {
		ob.get("/team")
		before := ob.session()
		wantRedirect(t, ob.post("/team/members/"+marketer.memberID+"/role", url.Values{"role": {"admin"}}), "/team")
		if ob.session() == before {
			t.Error("the owner's session token was not renewed")
		}
		if memberRole(t, marketer) != models.RoleAdmin {
			t.Errorf("role %q", memberRole(t, marketer))
		}
		wantRedirect(t, ob.post("/team/members/"+marketer.memberID+"/role", url.Values{"role": {"superuser"}}), "/team")
		var audit []string
		env.Owner.Raw(`SELECT (before->>'role') || '>' || (after->>'role') FROM audit_log
			WHERE tenant_id = ? AND action = 'member.role_changed' AND subject = ?`, owner.tenantID, marketer.memberID).Scan(&audit)
		if strings.Join(audit, ",") != "marketer>admin" {
			t.Errorf("audit %v", audit)
		}
	})
}

func TestConsoleRoleChangeRenewsAffectedSession(t *testing.T) {
	app := newConsoleApp(t)
	ob := newBrowser(t, app)
	owner := signUp(t, ob)
	viewer := addMember(t, owner.tenantID, models.RoleViewer)
	vb := newBrowser(t, app)
	logIn(t, vb, viewer)
	old := vb.session()

	ob.get("/team")
	wantRedirect(t, ob.post("/team/members/"+viewer.memberID+"/role", url.Values{"role": {"admin"}}), "/team")

	// The viewer's next request sees the new role and renews the token.
	p := vb.get("/")
	wantStatus(t, p, http.StatusOK)
	if p.text("member-role") != "Admin" {
		t.Errorf("role shown %q", p.text("member-role"))
	}
	if vb.session() == old {
		t.Fatal("the affected member's session token was not renewed")
	}
	stale := newBrowser(t, app)
	stale.cookies[sessionCookie] = old
	wantRedirect(t, stale.get("/"), "/login")
}

func TestConsoleRemovedMemberIsSignedOut(t *testing.T) {
	app := newConsoleApp(t)
	ob := newBrowser(t, app)
	owner := signUp(t, ob)
	admin := addMember(t, owner.tenantID, models.RoleAdmin)
	ab := newBrowser(t, app)
	logIn(t, ab, admin)
	wantStatus(t, ab.get("/team"), http.StatusOK)

	ob.get("/team")
	wantRedirect(t, ob.post("/team/members/"+admin.memberID+"/remove", nil), "/team")
	if memberRole(t, admin) != "" {
		t.Fatal("not removed")
	}
	wantRedirect(t, ab.get("/team"), "/login")
	if p := ab.get("/login"); !strings.Contains(p.text("flash-message"), "no longer have access") {
		t.Errorf("flash %q", p.text("flash-message"))
	}

	// An owner with a co-owner may leave; that signs them out.
	co := addMember(t, owner.tenantID, models.RoleOwner)
	cb := newBrowser(t, app)
	logIn(t, cb, co)
	cb.get("/team")
	wantRedirect(t, cb.post("/team/members/"+co.memberID+"/remove", nil), "/login")
	wantRedirect(t, cb.get("/"), "/login")
}

func TestLastOwnerTrigger(t *testing.T) {
	app := newConsoleApp(t)
	owner := signUp(t, newBrowser(t, app))
	ctx := context.Background()

	// run executes sql as tandem_app in a transaction of the owner's tenant,
	// set with SET LOCAL as tenants does, so that it reaches Citus's workers.
	run := func(sql string, args ...any) error {
		return env.App.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`SET LOCAL citus.propagate_set_commands = 'local'`).Error; err != nil {
				return err
			}
			if err := tx.Exec(`SET LOCAL app.tenant_id = '` + owner.tenantID.String() + `'`).Error; err != nil {
				return err
			}
			return tx.Exec(sql, args...).Error
		})
	}
	for _, sql := range []string{
		`UPDATE members SET role = 'admin' WHERE id = ?`,
		`DELETE FROM members WHERE id = ?`,
	} {
		if err := run(sql, owner.memberID); constraintName(err) != "last_owner" {
			t.Errorf("as tandem_app: %s: %v", sql, err)
		}
		if err := env.Owner.Exec(sql, owner.memberID).Error; constraintName(err) != "last_owner" {
			t.Errorf("as the schema owner: %s: %v", sql, err)
		}
	}

	// Two owners demoting each other at the same instant: one wins.
	co := addMember(t, owner.tenantID, models.RoleOwner)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, id := range []string{owner.memberID, co.memberID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = run(`UPDATE members SET role = 'viewer' WHERE id = ?`, id)
		}()
	}
	wg.Wait()
	owners := 0
	for _, a := range []account{owner, co} {
		if memberRole(t, a) == models.RoleOwner {
			owners++
		}
	}
	refused := 0
	for _, err := range errs {
		if constraintName(err) == "last_owner" {
			refused++
		} else if err != nil {
			t.Errorf("unexpected error %v", err)
		}
	}
	if owners != 1 || refused != 1 {
		t.Errorf("%d owners left, %d refused (errors %v)", owners, refused, errs)
	}
}
