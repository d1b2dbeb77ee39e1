package models

// Lists page by keyset. Their queries are named constants beside the
// function that runs them, commented so each can be read and EXPLAINed on
// its own (listmonk style); the indexes they lean on are in
// migrations/00010_operations.sql, and list_queries_test.go checks that
// the plans use them. In those queries the page's parameters come last:
// after, the id of the last row of the previous page ('' for the first),
// twice ("? = '' OR (…) < (… WHERE id = ?)"), then the limit, one more
// than the page size (the extra row tells whether another page follows). An empty filter parameter ('') means "any"; a filter tested
// twice ("? = '' OR col = ?") takes its value twice.

// Page selects one page of a list: at most Limit items after the item
// whose id is After (empty for the first page).
type Page struct {
	Limit int
	After string
}

// MaxPageSize bounds Page.Limit; DefaultPageSize is used when it is unset.
const (
	MaxPageSize     = 100
	DefaultPageSize = 20
)

func (p Page) limit() int {
	if p.Limit <= 0 || p.Limit > MaxPageSize {
		return DefaultPageSize
	}
	return p.Limit
}

// trimPage cuts the one extra row fetched to learn whether more follow.
func trimPage[T any](p Page, rows []T) ([]T, bool) {
	if len(rows) > p.limit() {
		return rows[:p.limit()], true
	}
	return rows, false
}

// prefixEnd is the end of the byte-wise range of the strings that start
// with prefix: prefix followed by the highest code point, which sorts
// after any character that could follow.
func prefixEnd(prefix string) string { return prefix + "\U0010FFFF" }
