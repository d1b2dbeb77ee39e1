package tenants

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// LoginThrottle slows console password guessing, counted in the
// login_attempts table so that every web machine shares the counts. Each
// login attempt is reserved before its password is checked, in the one
// statement that decides whether it may happen (reserve_login_attempt in
// migrations/00039_login_known_addresses.sql), so parallel guesses cannot
// slip past the count. Three keys count every attempt:
//
//   - the e-mail at this address (Pair): a guesser at one address gets a
//     few tries, then waits that double each time, up to a long cap;
//   - the address alone (Address): the same, for one address trying many
//     e-mails;
//   - the e-mail alone (Account): guesses from many addresses at one
//     account, capped short.
//
// An attempt refused for waiting counts on the first two keys as a guess
// would, so knocking while blocked only lengthens the wait. The account's
// key does not apply at an address the account has logged in from before
// (within KnownFor): guessers elsewhere can fill it, and so hold back a
// login from a new address for a minute at most, but never keep the owner
// out at a familiar one.
//
// The tables store SHA-256 digests, never an e-mail or an address.
type LoginThrottle struct {
	db                     *gorm.DB
	Pair, Address, Account Backoff
	// Window is how long attempts are counted from the first one of a key.
	Window time.Duration
	// KnownFor is how long an address stays known after a login from it.
	KnownFor time.Duration
}

// Backoff says how many attempts a key may make freely within a window,
// how long it waits after the last free one, and how long at most the
// wait grows to as it doubles at every further attempt.
type Backoff struct {
	Free           int
	FirstWait, Max time.Duration
}

// NewLoginThrottle returns a throttle with the defaults: 5 attempts per
// e-mail at one address and 20 per address, then 30 seconds doubling up to
// 15 minutes; 20 per e-mail from anywhere, then 5 seconds doubling up to a
// minute; windows of 15 minutes; an address known for 90 days.
func NewLoginThrottle(db *gorm.DB) *LoginThrottle {
	return &LoginThrottle{
		db:       db,
		Pair:     Backoff{Free: 5, FirstWait: 30 * time.Second, Max: 15 * time.Minute},
		Address:  Backoff{Free: 20, FirstWait: 30 * time.Second, Max: 15 * time.Minute},
		Account:  Backoff{Free: 20, FirstWait: 5 * time.Second, Max: time.Minute},
		Window:   15 * time.Minute,
		KnownFor: 90 * 24 * time.Hour,
	}
}

// throttleKeys are the login_attempts keys of one login attempt.
func throttleKeys(email, addr string) (pair, address, account string) {
	digest := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	email = strings.ToLower(strings.TrimSpace(email))
	addr = strings.TrimSpace(addr)
	return "pair:" + digest(email+"\x00"+addr), "addr:" + digest(addr), "email:" + digest(email)
}

// Reserve asks to try a password for email from addr. A zero wait means go
// ahead: the attempt now counts as a failure until Succeed says otherwise.
// Otherwise the caller must refuse, for wait; the refusal counted on the
// address's keys.
func (t *LoginThrottle) Reserve(ctx context.Context, email, addr string) (time.Duration, error) {
	pair, address, account := throttleKeys(email, addr)
	var known bool
	err := t.db.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM login_known_addresses
		WHERE key = ? AND last_login_at > now() - make_interval(secs => ?))`, pair, t.KnownFor.Seconds()).Row().Scan(&known)
	if err != nil {
		return 0, fmt.Errorf("login throttle: %w", err)
	}
	keys := []string{pair, address}
	limits := []Backoff{t.Pair, t.Address}
	countRefused := []bool{true, true}
	if !known {
		keys, limits, countRefused = append(keys, account), append(limits, t.Account), append(countRefused, false)
	}
	// One ARRAY[…] per argument, a placeholder per key: gorm would spread
	// a slice into a list.
	args := make([]any, 0, 5*len(keys)+1)
	for _, k := range keys {
		args = append(args, k)
	}
	for _, b := range limits {
		args = append(args, b.Free)
	}
	for _, b := range limits {
		args = append(args, b.FirstWait.Seconds())
	}
	for _, b := range limits {
		args = append(args, b.Max.Seconds())
	}
	for _, c := range countRefused {
		args = append(args, c)
	}
	array := "ARRAY[?" + strings.Repeat(", ?", len(keys)-1) + "]"
	var wait float64
	err = t.db.WithContext(ctx).Raw(`SELECT reserve_login_attempt(`+array+`::text[], `+array+`::integer[], `+
		array+`::float8[], `+array+`::float8[], `+array+`::boolean[], ?)`, append(args, t.Window.Seconds())...).Row().Scan(&wait)
	if err != nil {
		return 0, fmt.Errorf("login throttle: %w", err)
	}
	return time.Duration(wait * float64(time.Second)), nil
}

// Succeed takes back the reservation of a login that proved its password:
// the e-mail's counts are forgotten, the address gets its one attempt back
// (its other guesses still count: one known password cannot reset an
// address that guesses others), and the address becomes known to the
// account.
func (t *LoginThrottle) Succeed(ctx context.Context, email, addr string) error {
	pair, address, account := throttleKeys(email, addr)
	err := t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM login_attempts WHERE key IN (?, ?)`, pair, account).Error; err != nil {
			return err
		}
		err := tx.Exec(`INSERT INTO login_known_addresses (key) VALUES (?)
			ON CONFLICT (key) DO UPDATE SET last_login_at = now()`, pair).Error
		if err != nil {
			return err
		}
		return tx.Exec(`UPDATE login_attempts
			SET failures = failures - 1,
			    blocked_until = CASE WHEN failures - 1 < ? THEN '-infinity' ELSE blocked_until END
			WHERE key = ? AND failures > 0`, t.Address.Free, address).Error
	})
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}

// Sweep deletes the windows that have ended and the addresses no longer
// known; they decide nothing any more.
func (t *LoginThrottle) Sweep(ctx context.Context) error {
	err := t.db.WithContext(ctx).Exec(`DELETE FROM login_attempts WHERE window_start <= now() - make_interval(secs => ?)`,
		t.Window.Seconds()).Error
	if err == nil {
		err = t.db.WithContext(ctx).Exec(`DELETE FROM login_known_addresses WHERE last_login_at <= now() - make_interval(secs => ?)`,
			t.KnownFor.Seconds()).Error
	}
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}
