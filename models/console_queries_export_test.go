package models

// ConsoleQueries exposes the console's named queries to the external
// tests, which EXPLAIN them.
var ConsoleQueries = map[string]string{
	"search-participants": qSearchParticipants,
	"quest-invitations":   qQuestInvitations,
	"reward-queue":        qRewardQueue,
	"raffle-draws":        qRaffleDraws,
	"raffle-pots":         qRafflePots,
	"audit-entries":       qAuditEntries,
}
