package surface

// List is every JSON surface's list answer: a page of data, and whether
// more follow, the next page starting after the last item's id
// (?starting_after=…). One shape, so the API and the widget page alike.
type List[T any] struct {
	Object  string `json:"object"`
	Data    []T    `json:"data"`
	HasMore bool   `json:"has_more"`
}

// NewList is the page data, never null.
func NewList[T any](data []T, more bool) List[T] {
	if data == nil {
		data = []T{}
	}
	return List[T]{Object: "list", Data: data, HasMore: more}
}
