package jobs_test

import (
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/jobs"
)

// A job queued by SQL (here the webhook outbox, through webhook_queue)
// reaches an idle worker at commit, through River's LISTEN on its own role's
// connection, not at the worker's next poll, an hour away here. Until the
// queue functions notified River's schema-prefixed channel, nobody heard
// them and every such job waited for a poll.
func TestQueuedJobWakesAnIdleWorker(t *testing.T) {
	rcv, srv := newReceiver(t, 0)
	api := newAPIClient(t)
	ep := api.call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL + "/hooks", "events": []string{"*"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	startServer(t, time.Now, func(c *jobs.Config) { c.FetchPollInterval = time.Hour })
	// Past the fetch every producer makes as it starts.
	time.Sleep(time.Second)

	queued := time.Now()
	api.call("POST", "/v1/webhook-endpoints/"+ep.JSON["id"].(string)+"/test", nil, 202)
	waitDelivered(t, rcv, "the test message")
	t.Logf("delivered %s after it was queued", time.Since(queued).Round(time.Millisecond))
}

// waitDelivered waits up to 15 s for rcv's first delivery, of what: far
// sooner than the workers' next poll, when they are woken.
func waitDelivered(t *testing.T, rcv *receiver, what string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		rcv.mu.Lock()
		delivered := len(rcv.delivered)
		rcv.mu.Unlock()
		if delivered == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is still queued: the workers were not woken", what)
		}
	}
}
