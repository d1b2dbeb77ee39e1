package console

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/ratelimit/addrlimit"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// Console sessions: scs, stored in PostgreSQL (the sessions table of
// migrations/00002_tenancy.sql) so that every web machine shares them.
const (
	sessionCookie = "tandem_session"
	// sessionIdleTimeout ends a session nobody used for this long.
	sessionIdleTimeout = 2 * time.Hour
	// sessionLifetime ends any session this long after log-in, however busy.
	sessionLifetime = 12 * time.Hour
	// sessionSweepInterval is how often a serving machine deletes expired
	// sessions and finished login-throttle windows.
	sessionSweepInterval = 10 * time.Minute
)

// The keys of the session's values.
const (
	sessTenantID = "tenant_id"
	sessMemberID = "member_id"
	// sessRole is the role the member had when the session last saw them: a
	// different role in the database renews the session token.
	sessRole  = "role"
	sessCSRF  = "csrf"
	sessFlash = "flash"
)

// newSessionManager configures scs for the console. The store never
// creates tables (the migration does) and runs no cleanup goroutine of its
// own: sweepSessions does that for a serving app.
func newSessionManager(cfg Deps) (*scs.SessionManager, error) {
	sqlDB, err := cfg.DB.DB()
	if err != nil {
		return nil, fmt.Errorf("console: sessions need a database/sql pool: %w", err)
	}
	sm := scs.New()
	sm.Store = postgresstore.NewWithCleanupInterval(sqlDB, 0)
	sm.IdleTimeout = sessionIdleTimeout
	sm.Lifetime = sessionLifetime
	sm.Cookie.Name = sessionCookie
	sm.Cookie.Path = "/"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = !isLocalDevelopment(cfg.PublicURL)
	sm.Cookie.Persist = true
	return sm, nil
}

// isLocalDevelopment reports whether the server is reached over plain HTTP
// on this machine (http://localhost…), the one place a session cookie may
// travel without Secure. Anything else, an empty PublicURL included, gets
// Secure cookies.
func isLocalDevelopment(publicURL string) bool {
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadSession is the console's session middleware, standing in for scs's
// LoadAndSave (which needs net/http): it loads the session named by the
// cookie into the request's user context, runs the rest of the chain, then
// commits the session and appends its Set-Cookie to the response — other
// cookies are left alone. It commits even when the chain failed, so that a
// flash message or a renewed token survives an error page, and returns the
// chain's error for the error handler.
func (h *handler) loadSession(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if !models.IsText(token) {
		token = "" // PostgreSQL would refuse to look it up: no such session
	}
	ctx, err := h.sessions.Load(c.UserContext(), token)
	if err != nil {
		return fmt.Errorf("console: load session: %w", err)
	}
	c.SetUserContext(ctx)
	c.Vary(fiber.HeaderCookie)
	err = c.Next()
	if cerr := h.commitSession(c, ctx); cerr != nil {
		if err != nil {
			slog.Error("console: commit session after a failed request", "path", c.Path(), "err", cerr)
			return err
		}
		return cerr
	}
	return err
}

// commitSession saves a changed session and tells the browser its token,
// or deletes the cookie of a destroyed one. A session left with nothing to
// remember (its last flash message shown) is destroyed rather than saved:
// a row exists only while it holds something.
func (h *handler) commitSession(c *fiber.Ctx, ctx context.Context) error {
	if h.sessions.Status(ctx) == scs.Modified && len(h.sessions.Keys(ctx)) == 0 {
		if h.sessions.Token(ctx) == "" {
			return nil // never stored: nothing to save or delete
		}
		if err := h.sessions.Destroy(ctx); err != nil {
			return fmt.Errorf("console: destroy an empty session: %w", err)
		}
	}
	switch h.sessions.Status(ctx) {
	case scs.Modified:
		token, expiry, err := h.sessions.Commit(ctx)
		if err != nil {
			return fmt.Errorf("console: commit session: %w", err)
		}
		h.appendSessionCookie(c, token, expiry)
	case scs.Destroyed:
		h.appendSessionCookie(c, "", time.Time{})
	}
	return nil
}

// appendSessionCookie adds the session's Set-Cookie header as scs's own
// WriteSessionCookie would; a zero expiry deletes the cookie.
func (h *handler) appendSessionCookie(c *fiber.Ctx, token string, expiry time.Time) {
	cfg := h.sessions.Cookie
	cookie := &http.Cookie{
		Name:     cfg.Name,
		Value:    token,
		Path:     cfg.Path,
		Domain:   cfg.Domain,
		HttpOnly: cfg.HttpOnly,
		Secure:   cfg.Secure,
		SameSite: cfg.SameSite,
	}
	if expiry.IsZero() {
		cookie.Expires = time.Unix(1, 0)
		cookie.MaxAge = -1
	} else if cfg.Persist {
		cookie.Expires = time.Unix(expiry.Unix()+1, 0)
		cookie.MaxAge = int(time.Until(expiry).Seconds() + 1)
	}
	c.Response().Header.Add(fiber.HeaderSetCookie, cookie.String())
}

// renewSession gives the session a new token, keeping its values, and
// deletes the old one: the defence against session fixation, on log-in,
// log-out and any role change. keepDeadline keeps the absolute lifetime
// counting from the log-in instead of starting over.
func (h *handler) renewSession(ctx context.Context, keepDeadline bool) error {
	deadline := h.sessions.Deadline(ctx)
	if err := h.sessions.RenewToken(ctx); err != nil {
		return fmt.Errorf("console: renew session: %w", err)
	}
	if keepDeadline {
		h.sessions.SetDeadline(ctx, deadline)
	}
	return nil
}

// sweepSessions deletes expired sessions and finished login-throttle
// windows every interval until stop is closed. Every serving machine runs
// it; the deletes are idempotent.
func sweepSessions(db *gorm.DB, sweepThrottle func(context.Context) error, interval time.Duration, stop <-chan struct{}) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := tenants.SweepSessions(ctx, db); err != nil {
			slog.Error("console: sweep expired sessions", "err", err)
		}
		if err := sweepThrottle(ctx); err != nil {
			slog.Error("console: sweep login throttle", "err", err)
		}
		cancel()
	}
}

// startConsole sets up the console's sessions, login throttle and sign-up
// limit. A
// serving app (one that listens) also sweeps expired sessions and throttle
// windows until it shuts down; app.Test never listens, so tests start no
// goroutine.
func (h *handler) startConsole(app *fiber.App) {
	sm, err := newSessionManager(h.cfg)
	if err != nil {
		panic(err) // a gorm pool always has a database/sql pool
	}
	h.sessions = sm
	h.throttle = tenants.NewLoginThrottle(h.cfg.DB)
	h.signups = addrlimit.New(signupsPerWindow, signupWindow)
	stop := make(chan struct{})
	app.Hooks().OnListen(func(fiber.ListenData) error {
		go sweepSessions(h.cfg.DB, h.throttle.Sweep, sessionSweepInterval, stop)
		return nil
	})
	app.Hooks().OnShutdown(func() error {
		select {
		case <-stop:
		default:
			close(stop)
		}
		return nil
	})
}
