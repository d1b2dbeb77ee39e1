package models

import (
	"context"

	"gorm.io/gorm"
)

// TxOf exposes the context's transaction to the external tests, which
// use it to look at rows no model function returns.
func TxOf(ctx context.Context) *gorm.DB {
	tx, err := db(ctx)
	if err != nil {
		panic(err)
	}
	return tx
}

// LoadOverviewOf exposes the overview with a smaller page, so that a test
// reaches the cap without a hundred campaigns.
func LoadOverviewOf(ctx context.Context, limit int) (Overview, error) {
	return loadOverview(ctx, limit)
}
