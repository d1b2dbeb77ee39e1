package models

import (
	"context"
	"fmt"
	"strings"
)

// SearchParticipants returns participants newest first, only those whose
// external id or e-mail starts with query (ignoring case) when it is not
// empty.
func SearchParticipants(ctx context.Context, query string, page Page) ([]Participant, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var ps []Participant
	prefix := strings.ToLower(strings.TrimSpace(query))
	err = tx.Raw(qSearchParticipants, map[string]any{
		"prefix": prefix, "prefix_end": prefixEnd(prefix),
		"after": page.After, "limit": page.limit() + 1,
	}).Scan(&ps).Error
	if err != nil {
		return nil, false, fmt.Errorf("search participants: %w", err)
	}
	ps, more := trimPage(page, ps)
	return ps, more, nil
}

// prefixEnd is the end of the byte-wise range of the strings that start
// with prefix: prefix followed by the highest code point, which sorts
// after any character that could follow.
func prefixEnd(prefix string) string { return prefix + "\U0010FFFF" }
