package models

import "context"

// unknownEvent refuses an event whose name the tenant has not defined,
// suggesting the defined name nearest to it when one is close enough to
// be a typo (signup_completed for signup_complete).
func unknownEvent(ctx context.Context, field, name string) error {
	names, err := SendableEventNames(ctx)
	if err != nil {
		return err
	}
	return UnknownEventError(field, name, names)
}

// SendableEventNames returns the names of the tenant's own event
// definitions, sorted: those an event may carry (built-in ones are
// recorded by Tandem itself).
func SendableEventNames(ctx context.Context) ([]string, error) {
	defs, err := ListEventDefinitions(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range defs {
		if !d.Builtin {
			names = append(names, d.Name)
		}
	}
	return names, nil
}

// UnknownEventError is unknown_event for name at field, with a suggestion
// taken from defined (sorted, so that of two equally near names the first
// wins) when one is near. The message does not repeat name: field points
// at it, and an answer holds only what the tenant defined.
func UnknownEventError(field, name string, defined []string) *DetailedError {
	if near := nearestName(name, defined); near != "" {
		return ErrUnknownEvent.detail(field, "no event definition has this name: did you mean %q?", near)
	}
	return ErrUnknownEvent.detail(field, "no event definition has this name; define it before sending it")
}

// nearestName returns the name of names nearest to name by edit distance,
// if at most two edits and at most a third of name's length away; else "".
func nearestName(name string, names []string) string {
	best, bestDistance := "", 3
	for _, n := range names {
		d := editDistance(name, n)
		if d < bestDistance && 3*d <= len([]rune(name)) {
			best, bestDistance = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
