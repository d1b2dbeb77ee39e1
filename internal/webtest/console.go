package webtest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
)

// Console is a member signed in to the console of an app, for the
// benchmarks that time console pages in process: it keeps the session's
// cookies as a browser would.
type Console struct {
	app     App
	cookies map[string]string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// SignIn signs email in through the console's log-in form.
func SignIn(app App, email, password string) (*Console, error) {
	c := &Console{app: app, cookies: map[string]string{}}
	_, body, err := c.send(httptest.NewRequest(http.MethodGet, "/login", nil))
	if err != nil {
		return nil, err
	}
	token := csrfField.FindStringSubmatch(body)
	if token == nil {
		return nil, errors.New("sign in: no CSRF field on the log-in page")
	}
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {token[1]}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, _, err := c.send(req)
	if err != nil {
		return nil, err
	}
	if status != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in: status %d", status)
	}
	return c, nil
}

// Get sends GET path with the session and returns the status and body.
func (c *Console) Get(path string) (int, string, error) {
	return c.send(httptest.NewRequest(http.MethodGet, path, nil))
}

func (c *Console) send(req *http.Request) (int, string, error) {
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	resp, err := c.app.Test(req, -1)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		c.cookies[ck.Name] = ck.Value
	}
	return resp.StatusCode, string(body), err
}
