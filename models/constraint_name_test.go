package models

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// On Citus an error raised on a worker arrives without its constraint
// field; the rule it broke is still read from its detail or message.
func TestConstraintNameSurvivesCitus(t *testing.T) {
	for _, c := range []struct {
		name string
		err  pgconn.PgError
		want string
	}{
		{"the field, on one node", pgconn.PgError{ConstraintName: "self_referral", Message: `violates check constraint "other"`}, "self_referral"},
		{"a schema function's rule, from a worker",
			pgconn.PgError{Message: "invitation inv_1 is already claimed", Detail: `constraint "invitation_already_claimed"`}, "invitation_already_claimed"},
		{"PostgreSQL's own, on a shard",
			pgconn.PgError{Message: `duplicate key value violates unique constraint "guest_once_per_campaign_102489"`}, "guest_once_per_campaign"},
		{"a foreign key on a shard",
			pgconn.PgError{Message: `insert or update on table "invitations_102467" violates foreign key constraint "invitation_campaign_mode_102467"`}, "invitation_campaign_mode"},
		{"a name that ends in a short number keeps it", pgconn.PgError{Message: `violates check constraint "rule_42"`}, "rule_42"},
		{"no constraint", pgconn.PgError{Message: `new row violates row-level security policy for table "participants_103650"`}, ""},
	} {
		if got := ConstraintName(&c.err); got != c.want {
			t.Errorf("%s: ConstraintName = %q, want %q", c.name, got, c.want)
		}
	}
}
