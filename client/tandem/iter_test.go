//go:build go1.23

package tandem_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tandemhq/tandem/client/tandem"
)

func rewardPage(more bool, ids ...string) func(w http.ResponseWriter) {
	var data string
	for i, id := range ids {
		if i > 0 {
			data += ","
		}
		data += fmt.Sprintf(`{"id":%q,"participant":"alice","status":"issued","quantity":1}`, id)
	}
	return jsonAnswer(http.StatusOK, fmt.Sprintf(`{"object":"list","data":[%s],"has_more":%t}`, data, more))
}

// TestAllPages: All fetches page after page from the last id, and stops
// when the list says there is no more.
func TestAllPages(t *testing.T) {
	c, s := newScripted(t, rewardPage(true, "rwd_1", "rwd_2"), rewardPage(true, "rwd_3", "rwd_4"), rewardPage(false, "rwd_5"))
	var ids []string
	for r, err := range c.Rewards.All(context.Background(), &tandem.RewardListParams{Participant: "alice", ListParams: tandem.ListParams{Limit: 2}}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if fmt.Sprint(ids) != "[rwd_1 rwd_2 rwd_3 rwd_4 rwd_5]" {
		t.Errorf("ids %v", ids)
	}
	want := []string{"/v1/participants/alice/rewards?limit=2", "/v1/participants/alice/rewards?limit=2&starting_after=rwd_2",
		"/v1/participants/alice/rewards?limit=2&starting_after=rwd_4"}
	if len(s.got) != len(want) {
		t.Fatalf("requests %+v", s.got)
	}
	for i, g := range s.got {
		if g.path != want[i] {
			t.Errorf("request %d: %s, want %s", i, g.path, want[i])
		}
	}
}

// TestAllStops: an error is yielded once and ends the iteration; a break
// fetches no further page.
func TestAllStops(t *testing.T) {
	c, _ := newScripted(t, rewardPage(true, "rwd_1"), jsonAnswer(http.StatusNotFound, `{"error":{"code":"participant_not_found","message":"No."}}`))
	var n, errs int
	for _, err := range c.Rewards.All(context.Background(), &tandem.RewardListParams{Participant: "alice"}) {
		var apiErr *tandem.APIError
		if errors.As(err, &apiErr) {
			errs++
			continue
		}
		n++
	}
	if n != 1 || errs != 1 {
		t.Errorf("%d items, %d errors", n, errs)
	}
	c, s := newScripted(t, rewardPage(true, "rwd_1", "rwd_2"))
	for range c.Rewards.All(context.Background(), &tandem.RewardListParams{Participant: "alice"}) {
		break
	}
	if len(s.got) != 1 {
		t.Errorf("%d pages fetched after a break", len(s.got))
	}
}
