package dbtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
)

// MigrateTemplateWith migrates the template database, which must exist,
// with another release's server binary (`tandem migrate`), so that the
// template PrepareTemplate then migrates is one that release left: on
// Citus, a database already distributed, whose tables the newer migrations
// alter in place, as an operator's are.
func MigrateTemplateWith(ctx context.Context, adminURL, binary string) error {
	templateURL, err := withDatabase(adminURL, Template, nil)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, binary, "migrate")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+templateURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("dbtest: %s migrate: %w\n%s", binary, err, out)
	}
	return nil
}
