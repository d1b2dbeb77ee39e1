package models

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// MaxAllowedOrigins bounds an origin allow-list (a publishable key's, the
// widget's).
const MaxAllowedOrigins = 20

// originHost is the host[:port] of an origin, as the schema's
// widget_origins_valid checks it: a DNS name or IPv4 address.
var originHost = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$`)

// NormalizeOrigins checks a list of browser origins and returns them in the
// form a browser sends in its Origin header: scheme://host[:port], lower
// case, without a default port, path, query or user, each once. Blank
// entries are skipped. field names the input in errors.
func NormalizeOrigins(field string, origins []string) ([]string, error) {
	out := []string{}
	for _, o := range origins {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil ||
			strings.TrimSuffix(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" ||
			!originHost.MatchString(strings.ToLower(u.Host)) {
			return nil, invalid(field, "invalid_origin", "%q is not an origin: write it as https://shop.example.com, without a path", o)
		}
		scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		if (scheme == "https" && u.Port() == "443") || (scheme == "http" && u.Port() == "80") {
			host = strings.ToLower(u.Hostname())
		}
		if origin := scheme + "://" + host; !slices.Contains(out, origin) {
			out = append(out, origin)
		}
	}
	if len(out) > MaxAllowedOrigins {
		return nil, invalid(field, "too_many_origins", "at most %d origins", MaxAllowedOrigins)
	}
	return out, nil
}
