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

// LoginThrottle limits failed console logins per account (e-mail) and per
// client address, counted in the login_attempts table so that every web
// machine shares the counts. A window opens at the first failure of a key
// and lasts Window; when a key has reached its limit, logins for it are
// refused until its window ends. The table stores SHA-256 digests, never
// the e-mail or the address.
type LoginThrottle struct {
	db *gorm.DB
	// PerAccount and PerAddress are the failures allowed per window.
	PerAccount, PerAddress int
	// Window is how long failures are counted from the first one.
	Window time.Duration
}

// NewLoginThrottle returns a throttle with the defaults: 5 failures per
// e-mail and 20 per address in 15 minutes.
func NewLoginThrottle(db *gorm.DB) *LoginThrottle {
	return &LoginThrottle{db: db, PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute}
}

// throttleKeys are the login_attempts keys of one login attempt.
func throttleKeys(email, addr string) (account, address string) {
	digest := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	return "email:" + digest(strings.ToLower(strings.TrimSpace(email))), "addr:" + digest(strings.TrimSpace(addr))
}

// Wait returns how long logins for email from addr are refused: zero when
// they may try.
func (t *LoginThrottle) Wait(ctx context.Context, email, addr string) (time.Duration, error) {
	account, address := throttleKeys(email, addr)
	var rows []struct {
		Key       string
		Failures  int
		Remaining float64 // seconds left in the window
	}
	err := t.db.WithContext(ctx).Raw(`SELECT key, failures,
			extract(epoch FROM window_start + make_interval(secs => ?) - now())::float8 AS remaining
		FROM login_attempts
		WHERE key IN (?, ?) AND window_start > now() - make_interval(secs => ?)`,
		t.Window.Seconds(), account, address, t.Window.Seconds()).Scan(&rows).Error
	if err != nil {
		return 0, fmt.Errorf("login throttle: %w", err)
	}
	var wait time.Duration
	for _, r := range rows {
		limit := t.PerAccount
		if r.Key == address {
			limit = t.PerAddress
		}
		if r.Failures >= limit {
			wait = max(wait, time.Duration(r.Remaining*float64(time.Second)))
		}
	}
	return wait, nil
}

// Fail counts a failed login for email from addr.
func (t *LoginThrottle) Fail(ctx context.Context, email, addr string) error {
	account, address := throttleKeys(email, addr)
	// A window that has ended starts over at this failure.
	err := t.db.WithContext(ctx).Exec(`
		INSERT INTO login_attempts AS a (key, window_start, failures)
		SELECT k, now(), 1 FROM unnest(ARRAY[?, ?]::text[]) k
		ON CONFLICT (key) DO UPDATE SET
		  failures = CASE WHEN a.window_start > now() - make_interval(secs => ?) THEN a.failures + 1 ELSE 1 END,
		  window_start = CASE WHEN a.window_start > now() - make_interval(secs => ?) THEN a.window_start ELSE now() END`,
		account, address, t.Window.Seconds(), t.Window.Seconds()).Error
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}

// Succeed forgets the failures of email after a successful login; those of
// the address stay, so that one known password cannot reset an address
// that guesses others.
func (t *LoginThrottle) Succeed(ctx context.Context, email string) error {
	account, _ := throttleKeys(email, "")
	if err := t.db.WithContext(ctx).Exec(`DELETE FROM login_attempts WHERE key = ?`, account).Error; err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}

// Sweep deletes the windows that have ended; they decide nothing any more.
func (t *LoginThrottle) Sweep(ctx context.Context) error {
	err := t.db.WithContext(ctx).Exec(`DELETE FROM login_attempts WHERE window_start <= now() - make_interval(secs => ?)`,
		t.Window.Seconds()).Error
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}
