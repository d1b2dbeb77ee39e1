package ingestbench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tandemhq/tandem/models"
)

// Slice is one side's share of one round: what its Runner must do.
type Slice struct {
	Cohort  Cohort
	Round   int
	Clients int
	Units   int           // transactions (or requests) in all; a multiple of Clients
	PerUnit int           // events per transaction
	Keys    string        // idempotency key prefix, unique to this cohort's round
	MaxTime time.Duration // stop starting new units after this long
}

// Fill writes the events of one transaction of client c, drawn as the
// pgbench scripts draw them (Pgbench.script): a random guest of the cohort
// and a random quest step, or for a batch distinct guests with the steps
// in turn; and keys shaped as the script shapes them, from the client and a
// random number. (Keys in increasing order would insert into the key
// index's last page only, which pgbench cannot do: random keys on every
// side, as clients send.)
func (s Slice) Fill(events []models.EventInput, rng *rand.Rand, c int) {
	k := 1 + rng.Int64N(9_000_000_000_000)
	if len(events) == 1 {
		events[0] = models.EventInput{
			Participant:    s.Cohort.Guest(1 + rng.IntN(s.Cohort.Guests)),
			Name:           QuestSteps[rng.IntN(len(QuestSteps))],
			IdempotencyKey: fmt.Sprintf("%s-%d-%d", s.Keys, c, k),
		}
		return
	}
	// The batch script's formula: distinct guests (7 is prime to the
	// cohort size), steps rotating through the quest.
	off, step := rng.IntN(s.Cohort.Guests), rng.IntN(len(QuestSteps))
	for g := 1; g <= len(events); g++ {
		events[g-1] = models.EventInput{
			Participant:    s.Cohort.Guest(1 + (g*7+off)%s.Cohort.Guests),
			Name:           QuestSteps[(g+step)%len(QuestSteps)],
			IdempotencyKey: fmt.Sprintf("%s-%d-%d-%d", s.Keys, c, k, g),
		}
	}
}
