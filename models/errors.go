package models

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/money"
)

// Kind says what sort of refusal an error is. Every error of this package
// has one, and each surface (the API, the console, …) maps kinds to its
// answers in one table, so no error can reach a caller unmapped.
type Kind uint8

// The kinds of error. KindCount follows the last, so a surface's table can
// be an array of exactly this length.
const (
	// Invalid: the input itself is wrong; the same input always fails.
	Invalid Kind = iota
	// NotFound: what the input names does not exist in this tenant.
	NotFound
	// Conflict: the current state of the data forbids it.
	Conflict
	// Gone: it existed but can no longer be used (expired, ended).
	Gone
	// Forbidden: the caller may not do this.
	Forbidden
	// Limited: a limit or quota says not now.
	Limited
	// OverLimit: the tenant's plan allows no more of this (PlanLimitError);
	// a bigger plan would.
	OverLimit
	KindCount
)

// Error is a refusal with a stable snake_case code (the one the public API
// reports), a message for people and its kind.
type Error struct {
	Kind    Kind
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// ValidationError says which input field is wrong and why. Its kind is
// always Invalid.
type ValidationError struct {
	Field   string
	Code    string
	Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

func invalid(field, code, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)}
}

// The errors of models that name no particular concept's file.
var (
	ErrCampaignNotFound         = &Error{NotFound, "campaign_not_found", "no campaign with this slug"}
	ErrParticipantNotFound      = &Error{NotFound, "participant_not_found", "no participant with this external id"}
	ErrInvitationNotFound       = &Error{NotFound, "invitation_not_found", "no such invitation"}
	ErrRewardNotFound           = &Error{NotFound, "reward_not_found", "no such reward"}
	ErrRaffleNotFound           = &Error{NotFound, "raffle_not_found", "no such raffle draw"}
	ErrCodeNotFound             = &Error{NotFound, "code_not_found", "no invitation or referrer code matches this code"}
	ErrInvitationAlreadyClaimed = &Error{Conflict, "invitation_already_claimed", "this invitation has already been claimed"}
	ErrGuestAlreadyReferred     = &Error{Conflict, "guest_already_referred", "this guest has already been referred in this campaign"}
	ErrSelfReferral             = &Error{Invalid, "self_referral", "a host cannot refer themself"}
	ErrInvitationExpired        = &Error{Gone, "invitation_expired", "this invitation has expired"}
	ErrCampaignNotActive        = &Error{Gone, "campaign_not_active", "the campaign is not active"}
	ErrCampaignModeMismatch     = &Error{Conflict, "campaign_mode_mismatch", "the campaign's mode does not allow this"}
	ErrCampaignModeFixed        = &Error{Conflict, "campaign_mode_fixed", "the mode of a published campaign cannot change"}
	ErrCampaignTransition       = &Error{Conflict, "campaign_status_transition", "the campaign cannot make this status change"}
	ErrNoDraft                  = &Error{Conflict, "no_draft", "the campaign has no draft to publish"}
	ErrVersionImmutable         = &Error{Conflict, "published_version_immutable", "a published version never changes"}
	ErrUnknownEvent             = &Error{Invalid, "unknown_event", "no event definition with this name"}
	ErrReservedEvent            = &Error{Invalid, "reserved_event", "this built-in event is recorded by Tandem itself"}
	ErrIdempotencyKeyReused     = &Error{Invalid, "idempotency_key_reused", "this idempotency key was already used for a different request"}
	ErrRewardTransition         = &Error{Conflict, "reward_status_transition", "the reward cannot make this status change"}
	ErrNoTickets                = &Error{Conflict, "no_tickets", "the campaign has no issued ticket rewards to draw from"}
	ErrClaimBlocked             = &Error{Invalid, "claim_blocked", "this referral carries a high risk, which the campaign refuses"}
)

// constraintErrors maps the names of schema constraints (and of the rules
// that triggers raise under a constraint name) to errors of models, so a rule
// enforced only by the database still reaches the caller as its own code.
var constraintErrors = map[string]error{
	"invitation_already_claimed":  ErrInvitationAlreadyClaimed,
	"guest_once_per_campaign":     ErrGuestAlreadyReferred,
	"self_referral":               ErrSelfReferral,
	"invitation_expired":          ErrInvitationExpired,
	"campaign_not_active":         ErrCampaignNotActive,
	"invitation_campaign_mode":    ErrCampaignModeMismatch,
	"referrer_code_campaign_mode": ErrCampaignModeMismatch,
	"campaign_mode_fixed":         ErrCampaignModeFixed,
	"campaign_status_transition":  ErrCampaignTransition,
	"campaign_migration_running":  ErrMigrationRunning,
	"published_version_immutable": ErrVersionImmutable,
	"event_defined":               ErrUnknownEvent,
	"reward_status_transition":    ErrRewardTransition,
	"reward_fulfilled":            ErrRewardFulfilled,
	// Review (migrations/00051_reward_review.sql).
	"reward_review_shape":         ErrRewardTransition,
	"reward_rejected_with_reason": invalid("reason", "invalid_length", "a rejection needs a reason"),
	"claim_blocked":               ErrClaimBlocked,
	"last_owner":                  ErrLastOwner,
	"members_tenant_id_email_key": ErrAlreadyMember,
	"member_invitation_used":      ErrMemberInvitationUsed,
	"member_invitation_expired":   ErrMemberInvitationExpired,
	"tenants_slug_key":            ErrSlugTaken,
	"quest_step_event_defined":    invalid("quest.steps", "unknown_event", "every quest step must be a defined event"),
	"quest_steps_distinct":        invalid("quest.steps", "duplicate_step", "a quest cannot repeat an event"),
	"quest_steps_required":        invalid("quest.steps", "required", "a quest needs at least one step"),
	"milestones_start_at_one":     invalid("host_milestones", "invalid_milestones", "the milestone table must start at count 1"),
	"campaign_window":             invalid("ends_at", "invalid_window", "ends_at must be after starts_at"),
	// The widget (migrations/00017_widget.sql).
	"widget_origins":        errWidgetOrigins,
	"widget_token_key":      ErrWidgetKeyNotLive,
	"widget_token_lifetime": ErrTokenLifetime,
	// Caps (migrations/00012_referee.sql); validation refuses these first.
	"quest_steps_cap":           invalid("quest.steps", "too_many_steps", "a quest has at most %d steps", MaxQuestSteps),
	"milestones_cap":            invalid("host_milestones", "too_many_milestones", "a milestone table has at most %d rows", MaxMilestones),
	"reward_amount_cap":         invalid("amount", "invalid_amount", "amount is in minor units, from 0 to %d", int64(money.MaxAmount)),
	"guest_reward_amount_cap":   invalid("guest_reward.amount", "invalid_amount", "amount is in minor units, from 0 to %d", int64(money.MaxAmount)),
	"reward_quantity_cap":       invalid("quantity", "invalid_quantity", "quantity must be between 1 and 1000000"),
	"guest_reward_quantity_cap": invalid("guest_reward.quantity", "invalid_quantity", "quantity must be between 1 and 1000000"),
	// Retention periods (migrations/00057_retention.sql); validation refuses these first.
	"retention_event_properties_days": errRetentionEventDays,
	"retention_idempotency_hours":     errRetentionIdempotency,
	"retention_webhook_days":          errRetentionWebhookDays,
	// Plan limits (migrations/00025_billing.sql).
	"plan_limit_active_campaigns": &PlanLimitError{Limit: LimitActiveCampaigns},
	"plan_limit_participants":     &PlanLimitError{Limit: LimitParticipants},
	"plan_limit_team_seats":       &PlanLimitError{Limit: LimitTeamSeats},
	// migrations/00040_webhook_endpoints_within_plan.sql.
	"plan_limit_webhook_endpoints": &PlanLimitError{Limit: LimitWebhookEndpoints},
	"webhook_url":                  ErrWebhookURLInvalid,
	// migrations/00070_erased_participants_stay_blank.sql.
	"participant_erased_stays_blank": ErrParticipantErased,
	// migrations/00076_erased_participants_record_nothing.sql.
	"participant_erased_records_nothing": ErrParticipantErased,
	// Account deletion (migrations/00069_account_deletion.sql).
	"tenant_deletion_confirmation": ErrDeletionConfirmation,
	"tenant_deletion_final":        ErrDeletionFinal,
	"tenant_deletion_not_due":      ErrDeletionNotDue,
}

// dbError wraps err with op, translating a broken schema rule into its
// error of models and gorm's not-found into notFound.
func dbError(op string, err error, notFound error) error {
	if err == nil {
		return nil
	}
	if notFound != nil && errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", op, notFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if modelsErr, ok := constraintErrors[ConstraintName(pgErr)]; ok {
			return fmt.Errorf("%s: %w", op, modelsErr)
		}
		// A row of a tenant the purge has just removed: every tenant
		// table's key to tenants is named so.
		if pgErr.Code == "23503" && tenantKey.MatchString(ConstraintName(pgErr)) {
			return fmt.Errorf("%s: %w", op, ErrAccountDeleted)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// tenantKey matches the name of a tenant table's foreign key to tenants.
var tenantKey = regexp.MustCompile(`^[a-z_]+_tenant_id_fkey$`)

// shardSuffix is what Citus appends to a constraint's name on a shard.
var shardSuffix = regexp.MustCompile(`_[0-9]{6,}$`)

// namedConstraint finds a constraint's name in a message: PostgreSQL's
// own ("violates check constraint "x""), or the DETAIL the schema's
// functions add to every rule they raise (migrations/README.md).
var namedConstraint = regexp.MustCompile(`constraint "([^"]+)"`)

// ConstraintName is the schema rule err broke, if any. On Citus an error
// raised on a worker reaches the coordinator without its constraint field,
// but with its message and detail, which name the constraint (with the
// shard's number on PostgreSQL's own messages).
func ConstraintName(err *pgconn.PgError) string {
	if err.ConstraintName != "" {
		return err.ConstraintName
	}
	for _, text := range []string{err.Detail, err.Message} {
		if m := namedConstraint.FindStringSubmatch(text); m != nil {
			return shardSuffix.ReplaceAllString(m[1], "")
		}
	}
	return ""
}
