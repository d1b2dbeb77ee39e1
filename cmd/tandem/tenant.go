package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/tandemhq/tandem/tenants"
)

// tenantCmd runs `tandem tenant create`.
func tenantCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError("tenant: the only subcommand is `tenant create`")
	}
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	var in tenants.NewTenant
	fs.StringVar(&in.Name, "name", "", "the business's name")
	fs.StringVar(&in.OwnerEmail, "owner-email", "", "the first admin's email")
	fs.StringVar(&in.OwnerPassword, "owner-password", "", "the first admin's password")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if in.Name == "" || in.OwnerEmail == "" || in.OwnerPassword == "" {
		return usageError("tenant create: --name, --owner-email and --owner-password are required")
	}

	d, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	// With billing on, a tenant starts on the free plan, as at sign-up.
	in.Metered = cfg.Billing.Enabled()
	created, err := tenants.Create(ctx, d.DB, in)
	if err != nil {
		return fmt.Errorf("tenant create: %w", err)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			TenantID       string `json:"tenant_id"`
			Slug           string `json:"slug"`
			SecretKey      string `json:"secret_key"`
			PublishableKey string `json:"publishable_key"`
		}{created.TenantID.String(), created.Slug, created.SecretKey, created.PublishableKey})
	}
	fmt.Fprintf(stdout, "tenant:          %s (%s)\nsecret key:      %s\npublishable key: %s\n",
		created.Slug, created.TenantID, created.SecretKey, created.PublishableKey)
	return nil
}
