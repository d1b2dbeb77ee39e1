package dbtest

import (
	"testing"

	"gorm.io/gorm"
)

// WithoutTriggers runs fn in a transaction of owner (a superuser, this
// package's Env.Owner) with the schema's triggers off
// (session_replication_role = replica), committed when fn succeeds: for
// fixtures the rules would refuse. On Citus the shards' triggers fire on
// the workers, and a SET reaches them only once citus.propagate_set_commands
// says so, in a statement before it (the SET would otherwise stay on the
// coordinator, where no tenant row's trigger runs). On one PostgreSQL the
// citus setting is an unread placeholder.
func WithoutTriggers(t testing.TB, owner *gorm.DB, fn func(tx *gorm.DB) error) {
	t.Helper()
	err := owner.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL citus.propagate_set_commands = 'local'`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`SET LOCAL session_replication_role = replica`).Error; err != nil {
			return err
		}
		return fn(tx)
	})
	if err != nil {
		t.Fatalf("with triggers off: %v", err)
	}
}
