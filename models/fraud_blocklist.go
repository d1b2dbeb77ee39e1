package models

import (
	"context"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"strings"
)

// MaxBlocklistEntries bounds a tenant's blocklist: it is read whole at
// every claim.
const MaxBlocklistEntries = 1000

// blocklistPattern is an e-mail pattern or a domain, * for any run of
// characters; anything else must be an IP address or range.
var blocklistPattern = regexp.MustCompile(`^([a-z0-9.!#$%&'*+/=^_{|}~-]+@)?[a-z0-9*-]+(\.[a-z0-9*-]+)*$`)

// normalizeBlocklistEntry is entry as stored: lower case, an IP range in
// its canonical form (203.0.113.7/24 is 203.0.113.0/24), a lone address
// as it prints.
func normalizeBlocklistEntry(i int, entry string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(entry))
	if p, err := netip.ParsePrefix(e); err == nil {
		return p.Masked().String(), nil
	}
	if a, err := netip.ParseAddr(e); err == nil {
		return a.Unmap().String(), nil
	}
	if len(e) > 254 || !blocklistPattern.MatchString(e) || strings.Trim(e, "*@.") == "" {
		return "", invalid(fmt.Sprintf("entries[%d]", i), "invalid_blocklist_entry",
			"an entry is an e-mail address or pattern (*@example.com), a domain (example.com, *.example.com), or an IP address or range (203.0.113.0/24)")
	}
	return e, nil
}

// SaveBlocklist replaces the tenant's blocklist with entries (normalised,
// repeats dropped) and returns it as stored, sorted.
func SaveBlocklist(ctx context.Context, entries []string) ([]string, error) {
	if len(entries) > MaxBlocklistEntries {
		return nil, invalid("entries", "too_many_entries", "a blocklist has at most %d entries", MaxBlocklistEntries)
	}
	clean := make([]string, 0, len(entries))
	for i, e := range entries {
		n, err := normalizeBlocklistEntry(i, e)
		if err != nil {
			return nil, err
		}
		clean = append(clean, n)
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	if err := tx.Exec(`DELETE FROM fraud_blocklist WHERE tenant_id = ?`, tenantOf(ctx)).Error; err != nil {
		return nil, fmt.Errorf("save blocklist: %w", err)
	}
	if len(clean) > 0 {
		err := tx.Exec(`INSERT INTO fraud_blocklist (tenant_id, entry) SELECT ?, e FROM unnest(?::text[]) e ON CONFLICT DO NOTHING`,
			tenantOf(ctx), array(clean)).Error
		if err != nil {
			return nil, dbError("save blocklist", err, nil)
		}
	}
	if err := Audit(ctx, "fraud.blocklist", "blocklist", nil, clean); err != nil {
		return nil, err
	}
	return Blocklist(ctx)
}

// Blocklist returns the tenant's blocklist, sorted.
func Blocklist(ctx context.Context) ([]string, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	entries := []string{}
	if err := tx.Raw(`SELECT entry FROM fraud_blocklist WHERE tenant_id = ? ORDER BY entry`, tenantOf(ctx)).Scan(&entries).Error; err != nil {
		return nil, fmt.Errorf("read blocklist: %w", err)
	}
	return entries, nil
}

// blocklisted is the first entry of the tenant's blocklist that email (an
// e-mail address, or "") or ip (an address, or "") matches, or "".
func blocklisted(ctx context.Context, email, ip string) (string, error) {
	if email == "" && ip == "" {
		return "", nil
	}
	entries, err := Blocklist(ctx)
	if err != nil {
		return "", err
	}
	email = strings.ToLower(email)
	_, domain, _ := strings.Cut(email, "@")
	addr, ipErr := netip.ParseAddr(ip)
	for _, e := range entries {
		if p, err := netip.ParsePrefix(e); err == nil {
			if ipErr == nil && p.Contains(addr.Unmap()) {
				return e, nil
			}
			continue
		}
		if a, err := netip.ParseAddr(e); err == nil {
			if ipErr == nil && a == addr.Unmap() {
				return e, nil
			}
			continue
		}
		target := domain
		if strings.Contains(e, "@") {
			target = email
		}
		// path.Match: * is any run of characters but /, which neither an
		// e-mail address nor a domain holds.
		if ok, _ := path.Match(e, target); ok && target != "" {
			return e, nil
		}
	}
	return "", nil
}
