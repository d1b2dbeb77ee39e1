package tenants

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/migrations"
)

// SchemaVersions returns the newest migration the database has applied
// and the newest this binary carries. A database behind the binary lacks
// what its code expects (the release command did not run); one ahead of it
// is a rolling deploy's normal state, as migrations only add.
func SchemaVersions(ctx context.Context, db *gorm.DB) (applied, carried int64, err error) {
	if err := db.WithContext(ctx).Raw(`SELECT schema_version()`).Row().Scan(&applied); err != nil {
		return 0, 0, fmt.Errorf("tenants: schema version: %w", err)
	}
	return applied, carriedVersion(), nil
}

// carriedVersion is the number of the newest migration embedded in the
// binary: goose's version is the file name's leading number.
var carriedVersion = sync.OnceValue(func() int64 {
	names, _ := fs.Glob(migrations.FS, "*.sql")
	var newest int64
	for _, name := range names {
		digits, _, _ := strings.Cut(name, "_")
		if n, err := strconv.ParseInt(digits, 10, 64); err == nil && n > newest {
			newest = n
		}
	}
	return newest
})
