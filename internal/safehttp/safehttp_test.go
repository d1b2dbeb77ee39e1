package safehttp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestBlocked(t *testing.T) {
	blocked := []string{"127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "fe80::1",
		"fd00:ec2::254", "0.0.0.0", "::", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::ffff:10.0.0.1",
		"::ffff:127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "198.18.0.1",
		// IPv4 in IPv6 spellings other than the mapped one, and deprecated or
		// special IPv6 ranges.
		"::127.0.0.1", "::10.0.0.1", "::ffff:0:7f00:1", "::ffff:0:a00:1", "fec0::1", "feff::1",
		"100::1", "2001:2::1", "2001:10::1", "2001:db8::1", "3fff::1", "64:ff9b:1::a00:1", "2001:0:4136:e378::1"}
	for _, s := range blocked {
		if !Blocked(netip.MustParseAddr(s)) {
			t.Errorf("%s is not blocked", s)
		}
	}
	for _, s := range []string{"93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "8.8.8.8"} {
		if Blocked(netip.MustParseAddr(s)) {
			t.Errorf("%s is blocked", s)
		}
	}
}

func TestCheckURL(t *testing.T) {
	strict := Policy{}
	for raw, want := range map[string]error{
		"http://example.com/hook":         ErrScheme,
		"ftp://example.com/":              ErrScheme,
		"https://user:pw@example.com/":    ErrScheme,
		"/relative":                       ErrScheme,
		"https://127.0.0.1/hook":          ErrBlocked,
		"https://[::1]:8443/hook":         ErrBlocked,
		"https://169.254.169.254/latest/": ErrBlocked,
		"https://10.0.0.5/hook":           ErrBlocked,
		"https://localhost/hook":          ErrBlocked,
		"https://93.184.216.34/hook":      nil,
	} {
		if _, err := strict.CheckURL(context.Background(), raw); !errors.Is(err, want) {
			t.Errorf("CheckURL(%q) = %v, want %v", raw, err, want)
		}
	}
	open := Policy{AllowPrivateNetworks: true}
	if _, err := open.CheckURL(context.Background(), "http://127.0.0.1:9/hook"); err != nil {
		t.Errorf("allowed private networks refused http://127.0.0.1: %v", err)
	}
}

// The dialer refuses a private address at connect time, whatever the URL
// check said: here the URL is never checked at all.
func TestClientRefusesPrivateAtConnect(t *testing.T) {
	reached := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	defer srv.Close()
	_, err := Policy{}.Client(time.Second).Get(srv.URL)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("Get(%s) = %v, want ErrBlocked", srv.URL, err)
	}
	if reached {
		t.Fatal("the private server was reached")
	}
	resp, err := Policy{AllowPrivateNetworks: true}.Client(time.Second).Get(srv.URL)
	if err != nil {
		t.Fatalf("allowed: %v", err)
	}
	resp.Body.Close()
}

func TestClientFollowsNoRedirect(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data", http.StatusFound)
	}))
	defer srv.Close()
	resp, err := Policy{AllowPrivateNetworks: true}.Client(time.Second).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d: the redirect was followed", resp.StatusCode)
	}
}

func FuzzCheckURL(f *testing.F) {
	f.Add("https://example.com/hook")
	f.Add("https://[::ffff:127.0.0.1]/")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := Policy{AllowPrivateNetworks: true}.CheckURL(context.Background(), raw)
		if err == nil && (u.Host == "" || (u.Scheme != "https" && u.Scheme != "http")) {
			t.Fatalf("CheckURL(%q) accepted %v", raw, u)
		}
	})
}

// A receiver cannot make the client buffer more than MaxResponseHeaderBytes
// of headers: an answer with more is an error, one within is read.
func TestClientBoundsResponseHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("a", len(r.URL.Query().Get("pad"))*1024))
	}))
	defer srv.Close()
	client := Policy{AllowPrivateNetworks: true}.Client(5 * time.Second)
	resp, err := client.Get(srv.URL + "?pad=" + strings.Repeat("x", 4))
	if err != nil {
		t.Fatalf("4 KiB of headers: %v", err)
	}
	resp.Body.Close()
	if resp, err := client.Get(srv.URL + "?pad=" + strings.Repeat("x", 64)); err == nil {
		resp.Body.Close()
		t.Fatal("64 KiB of headers were read")
	}
}
