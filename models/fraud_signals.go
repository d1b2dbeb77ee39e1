package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Risk signal codes (RiskSignal.Code) and the level each carries.
const (
	SignalSameClient       = "same_client"
	SignalEmailAlias       = "email_alias"
	SignalDisposableEmail  = "disposable_email"
	SignalVelocity         = "velocity"
	SignalRing             = "ring"
	SignalBlocklisted      = "blocklisted"
	SignalExistingCustomer = "existing_customer"
)

const existingCustomerDetail = "the tenant says the guest is already a customer"

// claimParties is what the signals of a claim compare: the host, the guest
// and their e-mail addresses, the campaign.
type claimParties struct {
	HostID, GuestID, CampaignID string
	HostEmail, GuestEmail       string
	ExistingCustomer            bool
	// The campaign's current version's velocity limit (Rules).
	VelocityClaims, VelocityWindowMinutes int
}

// claimRisk judges a claim of guestID on the invitation or referrer code
// code (of kind) before it is made, and records the guest's client. The
// signals go into the claim's own statement, so that a version that
// blocks high risk refuses the claim itself (claim_blocked).
func claimRisk(ctx context.Context, kind, code, guestID string, client *Client) ([]RiskSignal, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	table := "invitations"
	if kind == ModeReferrerCode {
		table = "referrer_codes"
	}
	var p claimParties
	err = tx.Raw(`SELECT x.host_id, x.campaign_id, coalesce(h.email, '') AS host_email, coalesce(g.email, '') AS guest_email,
		       g.existing_customer, g.id AS guest_id, v.velocity_claims, v.velocity_window_minutes
		FROM `+table+` x
		JOIN participants h ON h.tenant_id = x.tenant_id AND h.id = x.host_id
		JOIN participants g ON g.tenant_id = x.tenant_id AND g.id = ?
		JOIN campaigns c ON c.tenant_id = x.tenant_id AND c.id = x.campaign_id
		JOIN campaign_versions v ON v.tenant_id = x.tenant_id AND v.campaign_id = c.id AND v.version = c.current_version
		WHERE x.tenant_id = ? AND x.code = ?`, guestID, tenantOf(ctx), code).Scan(&p).Error
	if err != nil || p.HostID == "" {
		return nil, dbError("judge claim", err, nil)
	}
	hashes, err := clientHashes(ctx, client)
	if err != nil {
		return nil, err
	}
	var signals []RiskSignal
	add := func(code, level, format string, args ...any) {
		signals = append(signals, RiskSignal{Code: code, Level: level, Detail: fmt.Sprintf(format, args...)})
	}
	if p.GuestID != p.HostID {
		if same, err := sharedClient(ctx, p.HostID, hashes); err != nil {
			return nil, err
		} else if same != "" {
			add(SignalSameClient, RiskMedium, "the guest's %s matches one the host used in the last %d days", same, int(SameClientWindow.Hours()/24))
		}
	}
	if p.GuestEmail != "" && p.HostEmail != "" && p.GuestEmail != p.HostEmail && mailbox(p.GuestEmail) == mailbox(p.HostEmail) {
		add(SignalEmailAlias, RiskHigh, "%s and the host's %s are one mailbox", p.GuestEmail, p.HostEmail)
	}
	if domain := emailDomain(p.GuestEmail); domain != "" {
		var disposable bool
		if err := tx.Raw(`SELECT EXISTS (SELECT FROM disposable_email_domains WHERE domain = ?)`, domain).Row().Scan(&disposable); err != nil {
			return nil, fmt.Errorf("judge claim: %w", err)
		}
		if disposable {
			add(SignalDisposableEmail, RiskMedium, "%s is a disposable e-mail domain", domain)
		}
	}
	var recent int
	if err := tx.Raw(`SELECT count(*) FROM invitations WHERE tenant_id = ? AND host_id = ? AND campaign_id = ? AND claimed_at > ?`,
		tenantOf(ctx), p.HostID, p.CampaignID, time.Now().Add(-time.Duration(p.VelocityWindowMinutes)*time.Minute)).Row().Scan(&recent); err != nil {
		return nil, fmt.Errorf("judge claim: %w", err)
	}
	if recent >= p.VelocityClaims {
		add(SignalVelocity, RiskMedium, "the host's %s claim in %d minutes", ordinal(recent+1), p.VelocityWindowMinutes)
	}
	if ring, err := referralRing(ctx, p.HostID, p.GuestID); err != nil {
		return nil, err
	} else if ring != "" {
		add(SignalRing, RiskHigh, "%s", ring)
	}
	ip := ""
	if client != nil {
		ip = client.IP
	}
	if entry, err := blocklisted(ctx, p.GuestEmail, ip); err != nil {
		return nil, err
	} else if entry != "" {
		add(SignalBlocklisted, RiskHigh, "the guest matches the blocklist entry %s", entry)
	}
	if p.ExistingCustomer {
		add(SignalExistingCustomer, RiskHigh, existingCustomerDetail)
	}
	return signals, recordClient(ctx, p.GuestID, hashes)
}

// sharedClient says which of hashes ("IP address", "user agent") host
// was seen with within SameClientWindow, or "".
func sharedClient(ctx context.Context, hostID string, hashes []string) (string, error) {
	if len(hashes) == 0 {
		return "", nil
	}
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var shared []string
	if err := tx.Raw(`SELECT client_hash FROM participant_clients
		WHERE tenant_id = ? AND participant_id = ? AND client_hash = ANY (?::text[]) AND seen_at > ? ORDER BY client_hash`,
		tenantOf(ctx), hostID, array(hashes), time.Now().Add(-SameClientWindow)).Scan(&shared).Error; err != nil {
		return "", fmt.Errorf("judge claim: %w", err)
	}
	names := make([]string, 0, len(shared))
	for _, h := range shared {
		names = append(names, map[bool]string{true: "IP address", false: "user agent"}[strings.HasPrefix(h, "ip:")])
	}
	return strings.Join(names, " and "), nil
}

// referralRing describes how guest already referred host, directly or
// through one participant in between, in any campaign, or is "".
func referralRing(ctx context.Context, hostID, guestID string) (string, error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var direct, through bool
	if err := tx.Raw(`SELECT EXISTS (SELECT FROM invitations WHERE tenant_id = ? AND host_id = ? AND guest_id = ?)`,
		tenantOf(ctx), guestID, hostID).Row().Scan(&direct); err != nil {
		return "", fmt.Errorf("judge claim: %w", err)
	}
	if direct {
		return "the guest referred the host before", nil
	}
	// Two statements rather than one with a set operation, which Citus
	// routes less well: each names the tenant.
	if err := tx.Raw(`SELECT EXISTS (SELECT FROM invitations a JOIN invitations b ON b.tenant_id = a.tenant_id AND b.host_id = a.guest_id
		WHERE a.tenant_id = ? AND b.tenant_id = ? AND a.host_id = ? AND b.guest_id = ?)`,
		tenantOf(ctx), tenantOf(ctx), guestID, hostID).Row().Scan(&through); err != nil {
		return "", fmt.Errorf("judge claim: %w", err)
	}
	if through {
		return "the guest referred someone who referred the host", nil
	}
	return "", nil
}

// mailbox is the mailbox an e-mail address reaches: lower case, without a
// +tag, and, at Gmail, without dots (Gmail ignores them).
func mailbox(email string) string {
	local, domain, ok := strings.Cut(strings.ToLower(email), "@")
	if !ok {
		return email
	}
	local, _, _ = strings.Cut(local, "+")
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}

// emailDomain is the lower-case domain of an e-mail address, or "".
func emailDomain(email string) string {
	_, domain, _ := strings.Cut(strings.ToLower(email), "@")
	return domain
}

// ordinal writes n as 1st, 2nd, 3rd, 11th, ….
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		suffix = map[int]string{1: "st", 2: "nd", 3: "rd"}[n%10]
		if suffix == "" {
			suffix = "th"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// markExistingCustomer records existing_customer on the referrals of
// guestID still in flight: their rewards, not yet issued, are judged with
// it (a completed referral is never judged again).
func markExistingCustomer(ctx context.Context, guestID string) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var ids []string
	if err := tx.Raw(`SELECT id FROM invitations WHERE tenant_id = ? AND guest_id = ? AND completed_at IS NULL ORDER BY id`,
		tenantOf(ctx), guestID).Scan(&ids).Error; err != nil {
		return fmt.Errorf("mark existing customer: %w", err)
	}
	for _, id := range ids {
		err := RecordRisk(ctx, id, []RiskSignal{{Code: SignalExistingCustomer, Level: RiskHigh, Detail: existingCustomerDetail}})
		if err != nil {
			return err
		}
	}
	return nil
}
