package tandem

import (
	"net/url"
	"strconv"
)

// ListParams chooses a page of a list, newest first: at most Limit items
// (1-100; 0 means the server's default, 20) after the item whose id is
// StartingAfter. The All methods page for you (Go 1.23 and later).
type ListParams struct {
	Limit         int
	StartingAfter string
}

func (p *ListParams) query() url.Values {
	q := url.Values{}
	if p == nil {
		return q
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.StartingAfter != "" {
		q.Set("starting_after", p.StartingAfter)
	}
	return q
}

// page is what the All iterators need of a list page.
func (l *CampaignList) page() ([]Campaign, bool)       { return l.Data, l.HasMore }
func (l *InvitationList) page() ([]Invitation, bool)   { return l.Data, l.HasMore }
func (l *RewardTokenList) page() ([]RewardToken, bool) { return l.Data, l.HasMore }
