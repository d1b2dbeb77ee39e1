package models

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
