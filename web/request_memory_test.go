package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/webtest"
)

// What a handler reads from its request is its own: the strings and bodies
// the app hands out stay as they were when the connection's next request
// is read into the same buffers (Config.Immutable). Without it, each would
// read the next request's bytes.
func TestRequestValuesOutliveTheirRequest(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test", ClientIPHeader: "X-Client-IP"})
	request := func(v string) string {
		body := "name=" + v
		return "POST /x?q=" + v + " HTTP/1.1\r\nHost: tandem.test\r\nX-Client-IP: " + v + "\r\nIdempotency-Key: " + v +
			"\r\nCookie: c=" + v + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
			fmt.Sprint(len(body)) + "\r\n\r\n" + body
	}
	var fctx fasthttp.RequestCtx
	read := func(raw string) {
		fctx.Request.Reset()
		if err := fctx.Request.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
			t.Fatal(err)
		}
	}
	first := "aaaaaaaaaaaa"
	read(request(first))
	// What a handler reads: the accessors the surfaces use.
	handle := func() (map[string]string, []byte) {
		c := app.AcquireCtx(&fctx)
		defer app.ReleaseCtx(c)
		return map[string]string{
			"Get":       c.Get("Idempotency-Key"),
			"Query":     c.Query("q"),
			"Cookies":   c.Cookies("c"),
			"FormValue": c.FormValue("name"),
			"IP":        c.IP(),
		}, c.Body()
	}
	kept, body := handle()
	read(request("bbbbbbbbbbbb")) // the connection's next request, same shape
	handle()
	for accessor, v := range kept {
		if v != first {
			t.Errorf("c.%s read %q and then %q once the next request arrived", accessor, first, v)
		}
	}
	if got := string(body[len("name="):]); got != first {
		t.Errorf("c.Body() read %q and then %q once the next request arrived", first, got)
	}
}

// An event queued behind stalled ingestion used to keep Fiber's view of its
// Idempotency-Key header: its request's deadline answered 503, the
// connection's next request was read into the same buffer, and the queued
// event was stored later under the next request's key (another tenant's,
// behind a shared proxy), while the events answered 503 were stored all the
// same. Here every request's deadline passes at once (the app's base
// context ends) while ingestion waits on a lock: the two sends that groups
// already hold are stored and answered 202; the ones still queued are
// answered 503 and never stored, with or without a key; the connections
// are reused by requests of the same shape; and every stored event has its
// own key and participant, and a retry answers accordingly.
func TestQueuedEventsKeepTheirBytesAndA503StoresNothing(t *testing.T) {
	created := webtest.NewTenant(t, env.App)
	auth := "Bearer " + created.SecretKey
	live := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	if r := webtest.Do(t, live, http.MethodPost, "/v1/event-definitions", map[string]any{"name": "signup_complete"},
		"Authorization", auth); r.Status != http.StatusCreated {
		t.Fatalf("define the event: %d %s", r.Status, r.Body)
	}
	// A send's participant is its name; its key, when it has one, starts
	// with the name and is as long as every other key, so that the next
	// request's key lands on the same bytes.
	keyOf := func(who string) string { return who + "-" + strings.Repeat("K", 40-len(who)) }
	raw := func(who string, withKey bool) string {
		body := `{"participant":"` + who + `","name":"signup_complete"}`
		key := ""
		if withKey {
			key = "Idempotency-Key: " + keyOf(who) + "\r\n"
		}
		return "POST /v1/events HTTP/1.1\r\nHost: tandem.test\r\nAuthorization: " + auth + "\r\n" + key +
			"Content-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
	}

	// The lock is taken where the tenant's events are written: on Citus the
	// events shard on its worker, where ingestion runs delegated.
	node, err := database.Open(env.TenantNodeURL(t, created.TenantID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := node.DB(); err == nil {
			sqlDB.Close()
		}
	})
	events := env.TenantShard(t, "events", created.TenantID)
	lock := node.Begin()
	if err := lock.Exec(`SET LOCAL citus.enable_manual_changes_to_shards = on`).Error; err != nil {
		t.Fatal(err)
	}
	if err := lock.Exec(`LOCK TABLE ` + events + ` IN SHARE MODE`).Error; err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	waitingOnEvents := func() int {
		var n int
		if err := node.Raw(`SELECT count(*) FROM pg_locks WHERE relation = CAST(? AS regclass) AND NOT granted`, events).Row().Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	base, giveUp := context.WithCancel(context.Background())
	defer giveUp()
	addr := serveOnLoopback(t, New(Config{DB: env.App, PublicURL: "https://tandem.test", BaseContext: base}))
	type sendOn struct {
		who     string
		withKey bool
		conn    net.Conn
		br      *bufio.Reader
		answer  answered
	}
	open := func(who string, withKey bool) *sendOn {
		conn := dial(t, addr)
		if _, err := io.WriteString(conn, raw(who, withKey)); err != nil {
			t.Fatal(err)
		}
		return &sendOn{who: who, withKey: withKey, conn: conn, br: bufio.NewReader(conn)}
	}
	var grouped, queued []*sendOn
	for i := range 2 {
		grouped = append(grouped, open(fmt.Sprintf("grouped-%d", i), true))
		dbtest.WaitFor(t, func() bool { return waitingOnEvents() == i+1 }, "a group to wait on the lock")
	}
	for i := range 3 {
		queued = append(queued, open(fmt.Sprintf("victim-%d", i), true))
	}
	queued = append(queued, open("keyless-victim", false))
	dbtest.WaitFor(t, func() bool { return goroutinesIn("tenants.(*EventGroups).Ingest(") == len(grouped)+len(queued) },
		"the sends to queue behind the groups")

	giveUp() // every request's deadline passes
	var reused []*sendOn
	for _, s := range queued {
		s.answer = readAnswer(t, s.br, s.conn)
		if s.answer.status != http.StatusServiceUnavailable {
			t.Errorf("%s, queued when its deadline passed: %d %s, want 503", s.who, s.answer.status, s.answer.body)
		}
		// The same connection's next request, of the same shape.
		next := &sendOn{who: strings.Replace(s.who, "victim", "other", 1), withKey: s.withKey, conn: s.conn, br: s.br}
		if _, err := io.WriteString(s.conn, raw(next.who, next.withKey)); err != nil {
			t.Fatal(err)
		}
		next.answer = readAnswer(t, s.br, s.conn)
		reused = append(reused, next)
	}
	if err := lock.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range grouped {
		s.answer = readAnswer(t, s.br, s.conn)
		if s.answer.status != http.StatusAccepted {
			t.Errorf("%s, in a group when its deadline passed: %d %s, want 202 once stored", s.who, s.answer.status, s.answer.body)
		}
	}
	dbtest.WaitFor(t, func() bool { return goroutinesIn("tenants.(*EventGroups).store(") == 0 }, "ingestion to finish")

	stored := storedEvents(t, created.TenantID.String())
	for _, e := range stored {
		if e.key != "" && e.key != keyOf(e.who) {
			t.Errorf("%s's event is stored under the key %q", e.who, e.key)
		}
	}
	for _, s := range append(append(grouped, queued...), reused...) {
		var mine []storedEvent
		for _, e := range stored {
			if e.who == s.who {
				mine = append(mine, e)
			}
		}
		switch s.answer.status {
		case http.StatusAccepted:
			if len(mine) != 1 || mine[0].id != s.answer.id {
				t.Errorf("%s was answered %s and has %+v stored", s.who, s.answer.id, mine)
			}
		case http.StatusServiceUnavailable:
			if len(mine) != 0 {
				t.Errorf("%s was answered 503 and has %+v stored", s.who, mine)
			}
		default:
			t.Errorf("%s: %d %s", s.who, s.answer.status, s.answer.body)
		}
		if !s.withKey {
			continue
		}
		// The client's retry, on a server that is well: stored once, under
		// its own key, whatever it was answered first.
		retry := webtest.Do(t, live, http.MethodPost, "/v1/events", map[string]any{"participant": s.who, "name": "signup_complete"},
			"Authorization", auth, "Idempotency-Key", keyOf(s.who))
		wantDuplicate := s.answer.status == http.StatusAccepted
		if retry.Status != http.StatusAccepted || retry.JSON["duplicate"] != wantDuplicate ||
			(wantDuplicate && retry.JSON["id"] != s.answer.id) {
			t.Errorf("%s, answered %d %s, then retried: %d %s; want duplicate %v", s.who, s.answer.status, s.answer.id,
				retry.Status, retry.Body, wantDuplicate)
		}
	}
}

// answered is a POST /v1/events response.
type answered struct {
	status int
	id     string
	body   []byte
}

// readAnswer reads the next response on a connection.
func readAnswer(t *testing.T, br *bufio.Reader, conn net.Conn) answered {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answered{status: resp.StatusCode, body: body}
	if a.status == http.StatusAccepted {
		var r struct{ ID string }
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		a.id = r.ID
	}
	return a
}

// storedEvent is an event as the schema's owner reads it.
type storedEvent struct{ id, who, key string }

// storedEvents reads every event of tenant.
func storedEvents(t *testing.T, tenant string) []storedEvent {
	t.Helper()
	rows, err := env.Owner.Raw(`SELECT e.id, p.external_id, coalesce(e.idempotency_key, '') FROM events e
		JOIN participants p ON p.tenant_id = e.tenant_id AND p.id = e.participant_id WHERE e.tenant_id = ?`, tenant).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []storedEvent
	for rows.Next() {
		var e storedEvent
		if err := rows.Scan(&e.id, &e.who, &e.key); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// goroutinesIn counts the goroutines with fn on their stack: the sends in
// the app's event groups are seen nowhere else before they reach the
// database.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	n := 0
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.Contains(g, []byte(fn)) {
			n++
		}
	}
	return n
}
