package console

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// showSignupPage shows the sign-up form.
func (h *handler) showSignupPage(c *fiber.Ctx) error {
	if h.signedIn(c) {
		return h.redirect(c, "/")
	}
	h.prepareSignedOutPage(c)
	return h.page(c, views.SignupPage(views.SignupForm{}))
}

// Sign-ups per client address: anyone may create a tenant, so an address
// gets signupsPerWindow attempts (valid or not) per signupWindow, counted in
// this process's memory (internal/ratelimit/addrlimit) before any work. Ten an hour
// is far more than a person needs, even one who mistypes, and keeps a loop
// from one address to 240 tenants a day per machine.
const (
	signupsPerWindow = 10
	signupWindow     = time.Hour
)

// signup creates a tenant and its owner, logs the owner in and shows the
// tenant's API keys, this once.
func (h *handler) signup(c *fiber.Ctx) error {
	ctx := c.UserContext()
	form := views.SignupForm{
		Name:   strings.TrimSpace(c.FormValue("name")),
		Email:  strings.ToLower(strings.TrimSpace(c.FormValue("email"))),
		Errors: map[string]string{},
	}
	if ok, wait := h.signups.Allow(c.IP()); !ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		form.Errors["form"] = fmt.Sprintf("Too many sign-ups from your network. Please try again in %s.", minutes(wait))
		h.prepareSignedOutPage(c)
		c.Status(http.StatusTooManyRequests)
		return h.page(c, views.SignupPage(form))
	}
	password := c.FormValue("password")
	if form.Name == "" {
		form.Errors["name"] = "Enter your business's name."
	}
	if form.Email == "" {
		form.Errors["email"] = "Enter your e-mail address."
	}
	if err := tenants.ValidatePassword(password); err != nil {
		form.Errors["password"] = sentence(err.Error())
	}
	if len(form.Errors) > 0 {
		return h.signupFailed(c, form)
	}
	created, err := tenants.Create(ctx, h.cfg.DB, tenants.NewTenant{Name: form.Name, OwnerEmail: form.Email, OwnerPassword: password,
		Metered: h.cfg.Billing.Enabled()})
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		field := map[string]string{"owner_password": "password", "email": "email", "name": "name", "slug": "name"}[ve.Field]
		if field == "" {
			field = "form"
		}
		form.Errors[field] = sentence(ve.Message)
		return h.signupFailed(c, form)
	}
	if err != nil {
		return err
	}
	owner := models.Member{ID: created.OwnerID, Email: form.Email, Role: models.RoleOwner}
	if err := h.signIn(ctx, created.TenantID, owner); err != nil {
		return err
	}
	h.prepareSignedOutPage(c)
	return h.page(c, views.WelcomePage(views.Welcome{TenantName: form.Name,
		SecretKey: created.SecretKey, PublishableKey: created.PublishableKey}))
}

func (h *handler) signupFailed(c *fiber.Ctx, form views.SignupForm) error {
	h.prepareSignedOutPage(c)
	c.Status(http.StatusUnprocessableEntity)
	return h.page(c, views.SignupPage(form))
}

// showLoginPage shows the log-in form; a signed-in member goes on to the
// dashboard.
func (h *handler) showLoginPage(c *fiber.Ctx) error {
	if h.signedIn(c) {
		return h.redirect(c, "/")
	}
	form := views.LoginForm{}
	if next := localPath(c.Query("next")); next != "/" {
		form.Next = next
	}
	h.prepareSignedOutPage(c)
	return h.page(c, views.LoginPage(form))
}

// login checks an e-mail and password and makes the session the member's,
// under a new token. Attempts are counted per e-mail at this address, per
// address and per e-mail (tenants.LoginThrottle) before the password is
// checked; past the free ones, even the right password waits its turn.
func (h *handler) login(c *fiber.Ctx) error {
	ctx := c.UserContext()
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	next := localPath(c.FormValue("next"))
	form := views.LoginForm{Email: email}
	if next != "/" {
		form.Next = next
	}
	addr := c.IP()
	wait, err := h.throttle.Reserve(ctx, email, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		form.Error = fmt.Sprintf("Too many failed attempts. For your security, try again in %s.", minutes(wait))
		return h.loginFailed(c, http.StatusTooManyRequests, form)
	}
	login, err := tenants.Authenticate(ctx, h.cfg.DB, email, password)
	if errors.Is(err, tenants.ErrBadLogin) {
		// Reserve already counted it.
		form.Error = "That e-mail and password don't match an account."
		return h.loginFailed(c, http.StatusUnauthorized, form)
	}
	if err != nil {
		return err
	}
	if err := h.throttle.Succeed(ctx, email, addr); err != nil {
		return err
	}
	var member models.Member
	err = tenants.WithTenant(ctx, h.cfg.DB, login.TenantID, func(ctx context.Context) error {
		member, err = models.GetMember(ctx, login.MemberID)
		return err
	})
	if err != nil {
		return err
	}
	if err := h.signIn(ctx, login.TenantID, member); err != nil {
		return err
	}
	return h.redirect(c, next)
}

func (h *handler) loginFailed(c *fiber.Ctx, status int, form views.LoginForm) error {
	h.prepareSignedOutPage(c)
	c.Status(status)
	return h.page(c, views.LoginPage(form))
}

// minutes says how long d is in whole minutes, rounded up.
func minutes(d time.Duration) string {
	n := int(math.Ceil(d.Minutes()))
	if n <= 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

// logout ends the session: it is deleted from the store and the browser's
// cookie, and the log-in page starts a new one.
func (h *handler) logout(c *fiber.Ctx) error {
	return h.endSession(c, "You have logged out.")
}
