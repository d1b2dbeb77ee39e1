package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"time"
)

// Client is where a participant acted from, as the tenant's backend (or
// the invite page, or the widget) saw it. Only keyed hashes of it are
// stored (participant_clients).
type Client struct {
	IP        string `json:"ip"`
	UserAgent string `json:"user_agent"`
}

// SameClientWindow is how far back same_client looks for a host's
// clients; older hashes are deleted when the participant is seen again.
const SameClientWindow = 30 * 24 * time.Hour

func (c *Client) validate() error {
	if c == nil {
		return nil
	}
	if c.IP != "" {
		ip, err := netip.ParseAddr(c.IP)
		if err != nil {
			return invalid("client.ip", "invalid_client", "client.ip is an IPv4 or IPv6 address")
		}
		c.IP = ip.Unmap().String()
	}
	return validateText("client.user_agent", c.UserAgent, 0, 1000)
}

// clientHashes are c's keyed hashes under the tenant's fraud key: one for
// the IP address, one for the user agent, each only if given.
func clientHashes(ctx context.Context, c *Client) ([]string, error) {
	if c == nil || (c.IP == "" && c.UserAgent == "") {
		return nil, nil
	}
	key, err := fraudKey(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, part := range []struct{ kind, value string }{{"ip", c.IP}, {"ua", c.UserAgent}} {
		if part.value == "" {
			continue
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(part.kind + "\x00" + part.value))
		out = append(out, part.kind+":"+hex.EncodeToString(m.Sum(nil)[:16]))
	}
	return out, nil
}

// fraudKey is the tenant's hash key, made on first use.
func fraudKey(ctx context.Context) ([]byte, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("fraud key: %w", err)
	}
	if err := tx.Exec(`INSERT INTO fraud_keys (tenant_id, hash_key) VALUES (?, ?) ON CONFLICT (tenant_id) DO NOTHING`,
		tenantOf(ctx), fresh).Error; err != nil {
		return nil, fmt.Errorf("fraud key: %w", err)
	}
	var key []byte
	if err := tx.Raw(`SELECT hash_key FROM fraud_keys WHERE tenant_id = ?`, tenantOf(ctx)).Row().Scan(&key); err != nil {
		return nil, fmt.Errorf("fraud key: %w", err)
	}
	return key, nil
}

// RecordHostClient keeps the client a host was seen with by Tandem itself
// (the widget, in the host's own browser), so that same_client can compare
// a later guest with it even when the tenant's backend passes no client for
// the host. A client that does not read as one (an address that does not
// parse) is not kept: it would only ever match itself. Nor is anything
// kept for an erased host (the schema refuses it,
// erased_participant_guard): the widget's user sees no error.
func RecordHostClient(ctx context.Context, participantID string, c Client) error {
	if c.validate() != nil {
		return nil
	}
	if erased, err := participantErased(ctx, participantID); err != nil || erased {
		return err
	}
	hashes, err := clientHashes(ctx, &c)
	if err != nil {
		return err
	}
	return recordClient(ctx, participantID, hashes)
}

// recordClient keeps participant's client hashes, seen now, and drops the
// participant's hashes older than SameClientWindow.
func recordClient(ctx context.Context, participantID string, hashes []string) error {
	if len(hashes) == 0 {
		return nil
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	if err := tx.Exec(`DELETE FROM participant_clients WHERE tenant_id = ? AND participant_id = ? AND seen_at < ?`,
		tenantOf(ctx), participantID, time.Now().Add(-SameClientWindow)).Error; err != nil {
		return fmt.Errorf("record client: %w", err)
	}
	for _, h := range hashes {
		if err := tx.Exec(`INSERT INTO participant_clients (tenant_id, participant_id, client_hash) VALUES (?, ?, ?)
			ON CONFLICT (tenant_id, participant_id, client_hash) DO UPDATE SET seen_at = excluded.seen_at`,
			tenantOf(ctx), participantID, h).Error; err != nil {
			return dbError("record client", err, nil)
		}
	}
	return nil
}

// participantErased says whether the participant was erased, holding their
// row as the foreign key of what is recorded next would (FOR KEY SHARE): an
// erasure that has not committed yet is waited for, not raced.
func participantErased(ctx context.Context, participantID string) (bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return false, err
	}
	var erased bool
	if err := tx.Raw(`SELECT erased_at IS NOT NULL FROM participants WHERE tenant_id = ? AND id = ? FOR KEY SHARE`,
		tenantOf(ctx), participantID).Row().Scan(&erased); err != nil {
		return false, fmt.Errorf("record client: %w", err)
	}
	return erased, nil
}
