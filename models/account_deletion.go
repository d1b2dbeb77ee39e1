package models

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// AccountDeletion is the account's scheduled deletion, if any: when the
// owner asked and when the purge may begin (the grace period's end, 7
// days later). Both nil when none is scheduled.
type AccountDeletion struct {
	RequestedAt *time.Time `json:"requested_at"`
	DueAt       *time.Time `json:"due_at"`
}

// Scheduled reports whether a deletion is scheduled.
func (d AccountDeletion) Scheduled() bool { return d.DueAt != nil }

// The refusals of account deletion (migrations/00069_account_deletion.sql).
var (
	ErrDeletionConfirmation = invalid("confirmation", "deletion_confirmation",
		"type the account's name or slug exactly to confirm its deletion")
	ErrDeletionFinal = &Error{Gone, "deletion_final",
		"the grace period is over: the account is being deleted, which cannot be undone"}
	ErrDeletionNotDue = &Error{Conflict, "deletion_not_due",
		"the account's grace period is not over, so nothing of it may be removed yet"}
	// ErrAccountDeletionScheduled refuses a key of an account scheduled
	// for deletion, so that the tenant's integration says why it stopped.
	ErrAccountDeletionScheduled = &Error{Forbidden, "account_deletion_scheduled",
		"the account is scheduled for deletion, and its API keys are refused until its owner undoes it in the console"}
	// ErrAccountDeleted refuses a write for an account that is gone: a
	// request that passed its key check just before the purge ended.
	ErrAccountDeleted = &Error{Gone, "account_deleted", "the account has been deleted"}
	// ErrPurgeRaced: a row of the account was written in a table the purge
	// had passed, and its foreign key stopped a batch or the account's own
	// delete; the batches go on, the next from the first table.
	ErrPurgeRaced = errors.New("purge account: a row was written during the last batch")
)

// GetAccountDeletion reads the account's scheduled deletion.
func GetAccountDeletion(ctx context.Context) (AccountDeletion, error) {
	tx, err := db(ctx)
	if err != nil {
		return AccountDeletion{}, err
	}
	var d AccountDeletion
	err = tx.Raw(`SELECT deletion_requested_at AS requested_at, deletion_due_at AS due_at FROM tenants WHERE id = ?`,
		tenantOf(ctx)).Take(&d).Error
	return d, dbError("get account deletion", err, ErrAccountDeleted)
}

// ScheduleAccountDeletion schedules the account's deletion at the end of
// the grace period, when confirmation is the account's name or slug (the
// schema checks it: schedule_tenant_deletion), and audits it
// (account.deletion_scheduled). Scheduling again keeps the first date and
// writes no second entry.
func ScheduleAccountDeletion(ctx context.Context, confirmation string) (AccountDeletion, error) {
	before, err := GetAccountDeletion(ctx)
	if err != nil {
		return AccountDeletion{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return AccountDeletion{}, err
	}
	if err := tx.Exec(`SELECT schedule_tenant_deletion(?, ?)`, tenantOf(ctx), confirmation).Error; err != nil {
		return AccountDeletion{}, dbError("schedule account deletion", err, nil)
	}
	after, err := GetAccountDeletion(ctx)
	if err != nil || before.Scheduled() {
		return after, err
	}
	return after, Audit(ctx, "account.deletion_scheduled", tenantOf(ctx).String(), nil, after)
}

// CancelAccountDeletion undoes the scheduled deletion during its grace
// period and audits it (account.deletion_cancelled); with none scheduled
// it changes nothing. After the grace period it is ErrDeletionFinal.
func CancelAccountDeletion(ctx context.Context) error {
	before, err := GetAccountDeletion(ctx)
	if err != nil {
		return err
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var cancelled bool
	if err := tx.Raw(`SELECT cancel_tenant_deletion(?)`, tenantOf(ctx)).Scan(&cancelled).Error; err != nil {
		return dbError("cancel account deletion", err, nil)
	}
	if !cancelled {
		return nil
	}
	return Audit(ctx, "account.deletion_cancelled", tenantOf(ctx).String(), before, nil)
}

// PurgeAccountBatch removes one batch of the account's rows, at most
// limit of one table, through the schema's one path (purge_tenant), and
// says how many: 0 once the account is gone. It refuses before the grace
// period is over (ErrDeletionNotDue). A batch starts at the table where
// the last one found rows; fromStart starts it at the first table, as the
// batch after ErrPurgeRaced must (a late row in a table already passed
// points at the rows the failed batch would have deleted).
func PurgeAccountBatch(ctx context.Context, limit int, fromStart bool) (int, error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = tx.Raw(`SELECT purge_tenant(?, ?, ?)`, tenantOf(ctx), limit, !fromStart).Scan(&n).Error
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return 0, ErrPurgeRaced
	}
	if err != nil {
		return 0, dbError("purge account", err, nil)
	}
	return n, nil
}
