package models

// ListQueries exposes the named list queries to the external tests,
// which EXPLAIN them.
var ListQueries = map[string]string{
	"search-participants": qSearchParticipants,
	"participants":        qListParticipants,
	"quest-invitations":   qQuestInvitations,
	"reward-queue":        qRewardQueue,
	"raffle-draws":        qRaffleDraws,
	"raffle-pots":         qRafflePots,
	"audit-entries":       qAuditEntries,
	"review-queue":        qReviewQueue,
	"review-queue-signal": qReviewQueueBySignal,
	"host-referrals":      qHostReferrals,
	"host-referral-count": qHostReferralCounts,
}
