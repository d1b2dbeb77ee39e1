package models

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"slices"
)

// RaffleEntry is one participant's weight in a draw: their ticket count.
type RaffleEntry struct {
	Participant string `json:"participant"`
	Tickets     int64  `json:"tickets"`
}

// DrawWinners picks up to k distinct winners from entries, each draw
// weighted by the tickets still in the pot, using only seed (64 hex digits)
// as randomness. It is a pure function: the same seed, entries (in the same
// order) and k give the same winners, which is how a stored draw is
// re-checked. Randomness is SHA-256(seed || counter), with rejection
// sampling so that no ticket is favoured.
func DrawWinners(seed string, entries []RaffleEntry, k int) ([]string, error) {
	key, err := hex.DecodeString(seed)
	if err != nil || len(key) != 32 {
		return nil, errors.New("draw winners: the seed must be 64 hex digits")
	}
	pot := append([]RaffleEntry(nil), entries...)
	var total uint64
	for _, e := range pot {
		if e.Tickets < 1 {
			return nil, errors.New("draw winners: every entry needs at least one ticket")
		}
		total += uint64(e.Tickets)
	}
	stream := drawStream{key: key}
	var winners []string
	for len(winners) < k && len(pot) > 0 {
		ticket := stream.below(total)
		i := 0
		for ticket >= uint64(pot[i].Tickets) {
			ticket -= uint64(pot[i].Tickets)
			i++
		}
		winners = append(winners, pot[i].Participant)
		total -= uint64(pot[i].Tickets)
		pot = append(pot[:i], pot[i+1:]...)
	}
	return winners, nil
}

// RecheckRaffle draws again from a recorded draw's seed and entries with
// DrawWinners and reports whether that gives the recorded winners, in
// order: anyone holding the seed and the entries can do the same.
func RecheckRaffle(r Raffle, requested int) bool {
	again, err := DrawWinners(r.Seed, r.Entries, requested)
	return err == nil && slices.Equal(again, r.Winners)
}

// drawStream yields uniform numbers from SHA-256 over the seed and a counter.
type drawStream struct {
	key     []byte
	counter uint64
}

func (s *drawStream) next() uint64 {
	block := make([]byte, len(s.key)+8)
	copy(block, s.key)
	binary.BigEndian.PutUint64(block[len(s.key):], s.counter)
	s.counter++
	sum := sha256.Sum256(block)
	return binary.BigEndian.Uint64(sum[:8])
}

// below returns a uniform number in [0, n), rejecting the top sliver of the
// 64-bit range that would make smaller results likelier.
func (s *drawStream) below(n uint64) uint64 {
	limit := ^uint64(0) - (^uint64(0) % n)
	for {
		if v := s.next(); v < limit {
			return v % n
		}
	}
}
