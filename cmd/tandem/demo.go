package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/demo"
)

// seedDemoOnce seeds the demo tenant on first use and returns what to print
// about it. API keys are shown once and stored hashed, so the first run
// keeps them in a file beside the local data (0600, git-ignored) for the
// next runs to print again.
func seedDemoOnce(ctx context.Context, db *gorm.DB, cfg Config) (string, error) {
	file := filepath.Join(filepath.Dir(cfg.DataDir), "demo.json")
	exists, err := demo.Exists(ctx, db)
	if err != nil {
		return "", err
	}
	var creds demo.Credentials
	if exists {
		raw, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Sprintf("Demo tenant %q: log in as %s / %s (its API keys were shown when it was created)\n%s",
				demo.Slug, demo.Email, demo.Password, demoCampaigns), nil
		}
		if err != nil {
			return "", fmt.Errorf("read demo credentials: %w", err)
		}
		if err := json.Unmarshal(raw, &creds); err != nil {
			return "", fmt.Errorf("read demo credentials %s: %w", file, err)
		}
	} else {
		if creds, err = demo.Seed(ctx, db); err != nil {
			return "", err
		}
		raw, err := json.MarshalIndent(creds, "", "  ")
		if err != nil {
			return "", err
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return "", fmt.Errorf("save demo credentials: %w", err)
		}
		if err := os.WriteFile(file, raw, 0o600); err != nil {
			return "", fmt.Errorf("save demo credentials: %w", err)
		}
	}
	return strings.Join([]string{
		fmt.Sprintf("Demo tenant %q", creds.Slug),
		fmt.Sprintf("  console login:    %s / %s", creds.Email, creds.Password),
		fmt.Sprintf("  secret key:       %s", creds.SecretKey),
		fmt.Sprintf("  publishable key:  %s", creds.PublishableKey),
		demoCampaigns,
	}, "\n"), nil
}

// demoCampaigns names the demo's campaigns, for a first API call.
var demoCampaigns = fmt.Sprintf("  campaigns:        %s (single-use invitations), %s (referrer codes)",
	demo.InvitationCampaign, demo.ReferrerCodeCampaign)
