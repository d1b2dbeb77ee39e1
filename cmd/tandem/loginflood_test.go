package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/internal/pgcluster"
)

// Found in the hardening review: 100 parallel console logins with unknown e-mails, each from an
// address of its own, once took the server from 89 MB to 1.89 GB (a 19 MiB
// argon2id hash each, all at once). With hashing capped, the real binary's
// peak resident memory stays under floodMaxRSS.
const (
	floodLogins = 100
	floodMaxRSS = 300 << 20 // bytes
)

func TestLoginFloodMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the server's memory from /proc")
	}
	bin := buildTandem(t)
	srv := startTandem(t, bin)

	// Each visitor opens the login page from its own address first: the
	// form's _csrf field and whatever cookies come with it (a session, or a
	// double-submit cookie) are what its POST carries.
	type visitor struct {
		addr    string
		cookies []*http.Cookie
		csrf    string
	}
	visitors := make([]visitor, floodLogins)
	for i := range visitors {
		v := visitor{addr: fmt.Sprintf("10.77.%d.%d", i/250, i%250+1)}
		v.cookies, v.csrf = openLoginPage(t, srv.url, v.addr)
		visitors[i] = v
	}
	before := srv.memory(t)

	sampled := make(chan int64)
	stopSampling := make(chan struct{})
	go func() { // VmRSS now and then, for the log; VmHWM is the real peak
		var peak int64
		for {
			if m, err := readProcMemory(srv.cmd.Process.Pid); err == nil {
				peak = max(peak, m.rss)
			}
			select {
			case <-stopSampling:
				sampled <- peak
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()

	start := time.Now()
	statuses := make([]int, floodLogins)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, v := range visitors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{
				"email":    {fmt.Sprintf("nobody-%d@flood.test", i)},
				"password": {"correct horse battery staple"},
				"_csrf":    {v.csrf},
			}
			req, _ := http.NewRequest(http.MethodPost, srv.url+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Client-IP", v.addr)
			for _, c := range v.cookies {
				req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			}
			<-gate
			resp, err := noRedirects.Do(req)
			if err != nil {
				statuses[i] = -1
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(gate)
	wg.Wait()
	close(stopSampling)
	sampledPeak := <-sampled
	after := srv.memory(t)
	t.Logf("%d logins in %s; VmRSS %d MiB before, sampled peak %d MiB, %d MiB after; VmHWM %d MiB",
		floodLogins, time.Since(start).Round(time.Millisecond), before.rss>>20, sampledPeak>>20, after.rss>>20, after.hwm>>20)

	// Every login must have been checked (a hash each): a refused form
	// (403) or a throttled one (429) would prove nothing about memory.
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	if counts[http.StatusUnauthorized] != floodLogins {
		t.Fatalf("statuses %v; want %d × 401 (an unknown e-mail, checked)\n%s", counts, floodLogins, srv.log.String())
	}
	if after.hwm >= floodMaxRSS {
		t.Errorf("the server's peak resident memory reached %d MiB under %d parallel logins; want under %d MiB",
			after.hwm>>20, floodLogins, floodMaxRSS>>20)
	}
}

// noRedirects returns 303s as they are: a login that succeeded would be one.
var noRedirects = &http.Client{
	Timeout:       45 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// openLoginPage GETs /login from addr and returns its cookies and the
// form's _csrf value.
func openLoginPage(t *testing.T, base, addr string) ([]*http.Cookie, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/login", nil)
	req.Header.Set("X-Client-IP", addr)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /login: %d", resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	csrf, ok := doc.Find(`form input[name="_csrf"]`).First().Attr("value")
	if !ok || csrf == "" {
		t.Fatal("the login page has no _csrf field")
	}
	return resp.Cookies(), csrf
}

// buildTandem builds the real binary without the race detector, which
// would multiply the memory measured.
func buildTandem(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tandem")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	var flags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if f != "-race" && f != "-race=true" {
			flags = append(flags, f)
		}
	}
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.Join(flags, " "))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tandemServer is `tandem serve` running as a child process.
type tandemServer struct {
	cmd *exec.Cmd
	url string
	log *syncBuffer
	// exited is closed once the process has exited (cmd.ProcessState
	// then says how).
	exited chan struct{}
}

// startTandem runs `tandem serve` on the package's database, as
// tandem_app, with client addresses taken from X-Client-IP and the
// variables of extraEnv, and waits until it answers /healthz. It is stopped
// at the end of the test.
func startTandem(t *testing.T, bin string, extraEnv ...string) *tandemServer {
	t.Helper()
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	s := &tandemServer{url: fmt.Sprintf("http://127.0.0.1:%d", port), log: &syncBuffer{}}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"APP_DATABASE_URL=" + env.AppURL,
		"TANDEM_ENCRYPTION_KEY=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
		"PORT=" + strconv.Itoa(port),
		fmt.Sprintf("PUBLIC_URL=http://localhost:%d", port),
		"CLIENT_IP_HEADER=X-Client-IP",
	}
	s.cmd.Env = append(s.cmd.Env, extraEnv...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	s.exited = exited
	go func() { s.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-exited
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-exited:
			t.Fatalf("tandem serve exited:\n%s", s.log.String())
		case <-ctx.Done():
			t.Fatalf("tandem serve did not answer /healthz within 30s:\n%s", s.log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *tandemServer) memory(t *testing.T) procMemory {
	t.Helper()
	m, err := readProcMemory(s.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// procMemory is a process's resident memory in bytes: now (VmRSS) and its
// peak so far (VmHWM, kept by the kernel, so no spike is missed).
type procMemory struct{ rss, hwm int64 }

func readProcMemory(pid int) (procMemory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procMemory{}, err
	}
	var m procMemory
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ":")
		var dst *int64
		switch name {
		case "VmRSS":
			dst = &m.rss
		case "VmHWM":
			dst = &m.hwm
		default:
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return procMemory{}, fmt.Errorf("/proc/%d/status: %s: %w", pid, name, err)
		}
		*dst = kb << 10
	}
	if m.rss == 0 || m.hwm == 0 {
		return procMemory{}, fmt.Errorf("/proc/%d/status: no VmRSS or VmHWM", pid)
	}
	return m, nil
}
