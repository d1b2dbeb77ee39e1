// Package safehttp sends requests to URLs that tenants choose (webhook
// endpoints) without letting them reach the server's own network: https
// only, and every connection refused when the address it dials, after DNS,
// is loopback, private, link-local (cloud metadata lives there), shared,
// multicast or otherwise not a public unicast address. The check runs in
// the dialer's Control hook, on the address actually connected to, so a
// name that resolves to a public address when it is checked and to a
// private one when it is dialled (DNS rebinding) is still refused. It is a
// leaf: no Tandem imports.
package safehttp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// ErrBlocked is the error for an address the package refuses to reach.
var ErrBlocked = errors.New("safehttp: the address is not a public internet address")

// ErrScheme is the error for a URL that is not https (or http where
// private networks are allowed), or that is not an absolute URL at all.
var ErrScheme = errors.New("safehttp: the URL must be an absolute https URL with a host and no credentials")

// blockedPrefixes are the ranges no webhook may reach besides what netip
// classifies (loopback, private, link-local, multicast, unspecified).
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT, shared address space
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: reaches IPv4 addresses, private ones included
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4: embeds an IPv4 address
	netip.MustParsePrefix("2001::/32"),       // Teredo: embeds an IPv4 address
	netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated): ::127.0.0.1 is loopback to some stacks
	netip.MustParsePrefix("::ffff:0:0:0/96"), // IPv4-translated (SIIT): embeds an IPv4 address
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated), private in practice
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:2::/48"),     // benchmarking
	netip.MustParsePrefix("2001:10::/28"),    // ORCHID: not routable
	netip.MustParsePrefix("2001:20::/28"),    // ORCHIDv2: not routable
	netip.MustParsePrefix("3fff::/20"),       // documentation
}

// Blocked reports whether ip is an address no webhook may reach. An IPv4
// address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || !ip.IsGlobalUnicast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// MaxResponseHeaderBytes bounds the headers of an answer the client
// reads: enough for any real receiver's, too little to fill the server's
// memory across many deliveries at once.
const MaxResponseHeaderBytes = 8 << 10

// Policy says what may be reached.
type Policy struct {
	// AllowPrivateNetworks lets requests reach any address, and plain http:
	// for development and tests only (WEBHOOK_ALLOW_PRIVATE_NETWORKS).
	AllowPrivateNetworks bool
}

// CheckURL parses raw and refuses it, before anything is stored, when the
// policy would refuse to send to it: not https, credentials in it, or a
// host that resolves to a blocked address. Delivery checks again at every
// connection; this check is for a clear answer up front.
func (p Policy) CheckURL(ctx context.Context, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil, ErrScheme
	}
	if u.Scheme != "https" && !(p.AllowPrivateNetworks && u.Scheme == "http") {
		return nil, ErrScheme
	}
	if p.AllowPrivateNetworks {
		return u, nil
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if Blocked(ip) {
			return nil, ErrBlocked
		}
		return u, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("safehttp: resolve %s: %w", host, err)
	}
	for _, ip := range addrs {
		if Blocked(ip) {
			return nil, ErrBlocked
		}
	}
	return u, nil
}

// control refuses, as the socket is about to connect, any blocked address.
func control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || Blocked(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrBlocked, address)
	}
	return nil
}

// Client returns an HTTP client for tenant-chosen URLs: every connection
// checked by the policy, no proxy from the environment, no redirects
// followed (the first answer is the answer), and timeout for the whole
// exchange.
func (p Policy) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout}
	if !p.AllowPrivateNetworks {
		dialer.Control = control
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
			// A receiver's headers are buffered whole before anything reads
			// them: Go's default allows 10 MiB a response.
			MaxResponseHeaderBytes: MaxResponseHeaderBytes,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
