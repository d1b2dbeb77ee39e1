package console

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

// opsAuditCount counts a tenant's audit entries of action on subject by actor.
func opsAuditCount(t testing.TB, a account, action, subject string) int {
	t.Helper()
	var n int
	err := env.Owner.Raw(`SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = ? AND subject = ? AND actor = ?`,
		a.tenantID, action, subject, "member:"+a.memberID).Scan(&n).Error
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConsoleRewardsQueueFilters(t *testing.T) {
	b, _ := opsOwner(t)
	for _, sc := range []struct {
		query string
		want  []string // reward values, in any order
	}{
		{"", []string{"$10.00", "€5.00", "$5.00", "$5.00", "3 tickets", "3 tickets", "1 ticket", "1 ticket"}},
		{"campaign=spring", []string{"$10.00", "€5.00", "$5.00", "$5.00"}},
		{"campaign=spring&kind=cash", []string{"$10.00", "€5.00"}},
		{"kind=coupon&status=issued", []string{"$5.00", "$5.00"}},
		{"kind=ticket&campaign=spring", nil},
		{"status=redeemed", nil},
		{"participant=alice", []string{"$10.00", "€5.00"}},
	} {
		p := b.get("/rewards?" + sc.query)
		wantStatus(t, p, http.StatusOK)
		var got []string
		p.find("reward-value").Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Text())) })
		slices.Sort(got)
		want := slices.Clone(sc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: values %v, want %v", sc.query, got, want)
		}
		if len(want) == 0 && p.find("empty-state").Length() != 1 {
			t.Errorf("%q: no empty state", sc.query)
		}
	}
	p := b.get("/rewards?participant=alice")
	reasons := listedText(p, "reward-reason")
	slices.Sort(reasons)
	if strings.Join(reasons, ",") != "Host milestone 1,Host milestone 2" {
		t.Errorf("alice's reasons: %q", reasons)
	}
	if href := p.find("export-csv").AttrOr("href", ""); href != "/rewards.csv?participant=alice" {
		t.Errorf("export link %q does not carry the filter", href)
	}
	wantStatus(t, b.get("/rewards?kind=gold"), http.StatusUnprocessableEntity)
}

// listedText returns the trimmed texts of the elements with data-testid id.
func listedText(p *page, id string) []string {
	var out []string
	p.find(id).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

func TestConsoleRedeemOneReward(t *testing.T) {
	b, owner := opsOwner(t)
	id := opsRewardID(t, owner.tenantID, "alice", "$10 cash")
	b.get("/rewards")

	// htmx: the row comes back in its new state, with a message out of band.
	p := tableRows(t, b.post("/rewards/"+id+"/redeem", nil, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	row := p.find("reward-row")
	if row.Length() != 1 || row.AttrOr("data-status", "") != models.RewardRedeemed || p.find("sidebar").Length() != 0 {
		t.Fatalf("not the redeemed row: %s", p.Body)
	}
	if !strings.Contains(row.Find(`[data-testid="settled-by"]`).Text(), owner.email) {
		t.Errorf("settled by %q, want %s", row.Find(`[data-testid="settled-by"]`).Text(), owner.email)
	}
	if p.Doc.Find(`#flashes[hx-swap-oob]`).Length() != 1 || row.Find(`[data-testid="redeem"]`).Length() != 0 {
		t.Error("no out-of-band message, or the row still offers to redeem")
	}
	if opsRewardStatus(t, id) != models.RewardRedeemed || opsAuditCount(t, owner, "reward.redeemed", id) != 1 {
		t.Fatal("not redeemed, or not audited by the member")
	}

	// Again, or voiding it now: no change, a message, the row as it is.
	p = tableRows(t, b.post("/rewards/"+id+"/void", nil, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	if p.find("reward-row").AttrOr("data-status", "") != models.RewardRedeemed || p.Doc.Find(`[data-kind="error"]`).Length() != 1 {
		t.Errorf("voiding a redeemed reward: %s", p.Body)
	}
	if opsRewardStatus(t, id) != models.RewardRedeemed {
		t.Fatal("a redeemed reward changed again")
	}

	// A plain form post goes back to the queue it came from.
	coupon := opsRewardID(t, owner.tenantID, "bob", "$5 off")
	p = b.post("/rewards/"+coupon+"/void", nil, "Referer", "https://tandem.test/rewards?kind=coupon&after=x")
	wantRedirect(t, p, "/rewards?kind=coupon")
	queue := b.get("/rewards?kind=coupon")
	if !strings.Contains(queue.text("flash-message"), "voided") {
		t.Errorf("flash %q", queue.text("flash-message"))
	}
	wantStatus(t, b.post("/rewards/rwd_00000000000000000000000000000000/redeem", nil), http.StatusNotFound)
	// Without the CSRF token, nothing happens.
	other := opsRewardID(t, owner.tenantID, "carol", "$5 off")
	wantStatus(t, b.post("/rewards/"+other+"/redeem", url.Values{"_csrf": {"forged"}}), http.StatusForbidden)
	if opsRewardStatus(t, other) != models.RewardIssued {
		t.Fatal("a forged request redeemed a reward")
	}
}

// TestConsoleRedeemAsksFirst: the queue's Redeem is a link to a page that
// asks (and changes nothing); its form redeems and goes back to the queue
// with the filter the member came from. A settled reward's page says so
// and offers no form.
func TestConsoleRedeemAsksFirst(t *testing.T) {
	b, owner := opsOwner(t)
	id := opsRewardID(t, owner.tenantID, "alice", "$10 cash")
	queue := b.get("/rewards?participant=alice")
	link := queue.Doc.Find(`[data-reward-id="` + id + `"] [data-testid="redeem"]`)
	if link.Length() != 1 || link.AttrOr("href", "") != "/rewards/"+id+"/redeem" || goquery.NodeName(link) != "a" {
		t.Fatalf("the row's redeem control is not a link to its confirmation: %s", queue.Body)
	}

	ask := b.get("/rewards/"+id+"/redeem", "Referer", "https://tandem.test/rewards?participant=alice&after=x")
	wantStatus(t, ask, http.StatusOK)
	form := ask.find("redeem-form")
	if form.AttrOr("action", "") != "/rewards/"+id+"/redeem" || form.AttrOr("method", "") != "post" ||
		form.Find(`input[name="_csrf"]`).Length() != 1 || form.Find(`input[name="back"]`).AttrOr("value", "") != "participant=alice" {
		t.Fatalf("the confirmation's form: %s", ask.Body)
	}
	if ask.text("reward-value") != "$10.00" || ask.find("redeem-cancel").AttrOr("href", "") != "/rewards?participant=alice" {
		t.Errorf("the confirmation shows %q, cancel goes to %q", ask.text("reward-value"), ask.find("redeem-cancel").AttrOr("href", ""))
	}
	if opsRewardStatus(t, id) != models.RewardIssued {
		t.Fatal("asking redeemed the reward")
	}

	wantRedirect(t, b.post("/rewards/"+id+"/redeem", url.Values{"back": {"participant=alice"}}), "/rewards?participant=alice")
	if opsRewardStatus(t, id) != models.RewardRedeemed || opsAuditCount(t, owner, "reward.redeemed", id) != 1 {
		t.Fatal("the confirmed form did not redeem the reward, or it was not audited")
	}
	again := b.get("/rewards/" + id + "/redeem")
	wantStatus(t, again, http.StatusOK)
	if again.find("redeem-form").Length() != 0 || again.find("redeem-settled").Length() != 1 {
		t.Errorf("a redeemed reward's page still offers to redeem: %s", again.Body)
	}
	wantStatus(t, b.get("/rewards/rwd_00000000000000000000000000000000/redeem"), http.StatusNotFound)
}

func TestConsoleBulkVoidWithConfirmation(t *testing.T) {
	b, owner := opsOwner(t)
	bob := opsRewardID(t, owner.tenantID, "bob", "$5 off")
	carol := opsRewardID(t, owner.tenantID, "carol", "$5 off")
	usd := opsRewardID(t, owner.tenantID, "alice", "$10 cash")
	eur := opsRewardID(t, owner.tenantID, "alice", "€5 cash")
	queue := b.get("/rewards?kind=coupon")
	if queue.find("bulk-form").Length() != 1 || queue.find("reward-select").Length() != 2 {
		t.Fatal("no bulk form or checkboxes for the owner")
	}
	if all := b.get("/rewards?kind=coupon&select=all"); all.Doc.Find(`[data-testid="reward-select"][checked]`).Length() != 2 {
		t.Error("select=all does not tick every issued reward")
	}
	wantStatus(t, b.post("/rewards/"+usd+"/redeem", nil), http.StatusSeeOther)

	// Step 1: the confirmation counts what would change and sums the value
	// per currency; it changes nothing.
	form := url.Values{"action": {"void"}, "id": {bob, carol, usd}, "back": {"kind=coupon"}}
	p := b.post("/rewards/bulk/confirm", form, "HX-Request", "true")
	wantStatus(t, p, http.StatusOK)
	if p.find("bulk-confirm-count").AttrOr("data-count", "") != "2" {
		t.Fatalf("confirmation count: %s", p.Body)
	}
	if totals := listedText(p, "bulk-total"); len(totals) != 1 || !strings.HasPrefix(totals[0], "$10.00") {
		t.Errorf("totals %v, want $10.00 in 2 rewards", totals)
	}
	if !strings.Contains(p.text("bulk-skipped"), "1 reward") {
		t.Errorf("skipped: %q", p.text("bulk-skipped"))
	}
	confirm := p.find("bulk-confirm-form")
	if confirm.AttrOr("hx-indicator", "") == "" || p.Doc.Find(confirm.AttrOr("hx-indicator", "")).Length() != 1 {
		t.Error("the confirmation shows no progress while it runs")
	}
	if opsRewardStatus(t, bob) != models.RewardIssued || opsRewardStatus(t, carol) != models.RewardIssued {
		t.Fatal("the confirmation step changed something")
	}

	// Different currencies are never added together.
	mixed := b.post("/rewards/bulk/confirm", url.Values{"action": {"redeem"}, "id": {bob, eur}}, "HX-Request", "true")
	if totals := listedText(mixed, "bulk-total"); len(totals) != 2 || !strings.HasPrefix(totals[0], "€5.00") || !strings.HasPrefix(totals[1], "$5.00") {
		t.Errorf("mixed totals %v", totals)
	}

	// Nothing ticked: the panel says so.
	none := b.post("/rewards/bulk/confirm", url.Values{"action": {"void"}}, "HX-Request", "true")
	wantStatus(t, none, http.StatusUnprocessableEntity)
	if none.text("bulk-error") == "" {
		t.Error("no error for an empty selection")
	}

	// Step 2: the confirmed ids, as the confirmation form carries them.
	confirmed := url.Values{}
	confirm.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		confirmed.Add(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	p = b.post("/rewards/bulk", confirmed, "HX-Request", "true")
	wantStatus(t, p, http.StatusNoContent)
	if p.Header.Get("HX-Redirect") != "/rewards?kind=coupon" {
		t.Errorf("HX-Redirect %q", p.Header.Get("HX-Redirect"))
	}
	for _, id := range []string{bob, carol} {
		if opsRewardStatus(t, id) != models.RewardVoided || opsAuditCount(t, owner, "reward.voided", id) != 1 {
			t.Errorf("%s not voided, or not audited", id)
		}
	}
	if opsRewardStatus(t, usd) != models.RewardRedeemed || opsRewardStatus(t, eur) != models.RewardIssued {
		t.Error("the bulk void touched other rewards")
	}
	after := b.get("/rewards?kind=coupon")
	if msg := after.text("flash-message"); !strings.Contains(msg, "Voided 2 rewards worth $10.00") {
		t.Errorf("flash %q", msg)
	}
	for _, who := range listedText(after, "settled-by") {
		if !strings.Contains(who, owner.email) {
			t.Errorf("settled by %q", who)
		}
	}
}

func TestConsoleRewardsCSVExport(t *testing.T) {
	b, owner := opsOwner(t)
	b.get("/rewards")
	wantStatus(t, b.post("/rewards/"+opsRewardID(t, owner.tenantID, "bob", "$5 off")+"/redeem", nil), http.StatusSeeOther)
	for _, query := range []string{"", "kind=coupon", "status=issued&campaign=spring", "kind=ticket", "participant=alice", "status=voided"} {
		page := b.get("/rewards?" + query)
		wantIDs := listed(page, "reward-row", "data-reward-id")
		p := b.get("/rewards.csv?" + query)
		wantStatus(t, p, http.StatusOK)
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") || !strings.Contains(p.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("%q: headers %v", query, p.Header)
		}
		records, err := csv.NewReader(strings.NewReader(p.Body)).ReadAll()
		if err != nil {
			t.Fatalf("%q: %v\n%s", query, err, p.Body)
		}
		if !slices.Equal(records[0], rewardsCSVHeader) {
			t.Fatalf("header %v", records[0])
		}
		var gotIDs []string
		for _, r := range records[1:] {
			gotIDs = append(gotIDs, r[0])
		}
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("%q: CSV ids %v, page ids %v", query, gotIDs, wantIDs)
		}
		if query == "kind=coupon" {
			for _, r := range records[1:] {
				if r[6] != "coupon" || r[8] != "500" || r[9] != "USD" || r[10] != "$5.00" {
					t.Errorf("coupon row %v", r)
				}
				if r[1] == "bob" && (r[11] != "redeemed" || r[13] == "" || r[14] != owner.email) {
					t.Errorf("bob's redeemed row %v", r)
				}
			}
		}
	}
	wantStatus(t, b.get("/rewards.csv?status=lost"), http.StatusUnprocessableEntity)
	if csvText("=HYPERLINK(1)") != "'=HYPERLINK(1)" || csvText("bob") != "bob" {
		t.Error("csvText does not defuse formulas")
	}
}

func TestConsoleRewardsRoles(t *testing.T) {
	ob, owner := opsOwner(t)
	id := opsRewardID(t, owner.tenantID, "alice", "$10 cash")
	for _, sc := range []struct {
		role   string
		export int
	}{{models.RoleMarketer, http.StatusOK}, {models.RoleViewer, http.StatusForbidden}} {
		t.Run(sc.role, func(t *testing.T) {
			b := newBrowser(t, ob.app)
			logIn(t, b, addMember(t, owner.tenantID, sc.role))
			p := b.get("/rewards")
			wantStatus(t, p, http.StatusOK)
			if p.find("reward-row").Length() != 8 {
				t.Errorf("%d rewards shown", p.find("reward-row").Length())
			}
			for _, control := range []string{"redeem", "void", "reward-select", "bulk-panel", "bulk-form"} {
				if p.find(control).Length() != 0 {
					t.Errorf("a %s is shown %s", sc.role, control)
				}
			}
			if got := p.find("export-csv").Length() == 1; got != (sc.export == http.StatusOK) {
				t.Errorf("export link shown: %v", got)
			}
			wantStatus(t, b.get("/rewards.csv"), sc.export)
			for _, path := range []string{"/rewards/" + id + "/redeem", "/rewards/" + id + "/void"} {
				p := b.post(path, nil, "HX-Request", "true")
				wantStatus(t, p, http.StatusForbidden)
			}
			wantStatus(t, b.get("/rewards/"+id+"/redeem"), http.StatusForbidden)
			wantStatus(t, b.post("/rewards/bulk/confirm", url.Values{"action": {"redeem"}, "id": {id}}), http.StatusForbidden)
			wantStatus(t, b.post("/rewards/bulk", url.Values{"action": {"redeem"}, "id": {id}}), http.StatusForbidden)
			if opsRewardStatus(t, id) != models.RewardIssued {
				t.Fatalf("a %s changed a reward", sc.role)
			}
		})
	}
}
