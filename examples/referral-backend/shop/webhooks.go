package shop

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"

	"github.com/tandemhq/tandem/client/tandem"
	"github.com/tandemhq/tandem/client/tandem/webhook"
)

// Receiver is the shop's webhook endpoint: it verifies each message with
// the endpoint's secret, handles each webhook-id once (a message whose
// answer was lost arrives again) and keeps what it handled.
type Receiver struct {
	mu     sync.Mutex
	secret string
	seen   map[string]bool
	events []*webhook.Event
}

// NewReceiver returns a receiver; Subscribe gives it its secret.
func NewReceiver() *Receiver { return &Receiver{seen: map[string]bool{}} }

// Subscribe registers url as an endpoint for every message type and keeps
// its signing secret, which Tandem shows only now.
func (r *Receiver) Subscribe(ctx context.Context, c *tandem.Client, url string) error {
	ep, err := c.WebhookEndpoints.Create(ctx, &tandem.WebhookEndpointRequest{URL: &url,
		Events: []tandem.WebhookEndpointRequestEvents{tandem.WebhookEndpointRequestEventsAsterisk}})
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret = *ep.Secret
	return nil
}

func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ev, err := webhook.Verify(r.secret, req.Header, body)
	if err != nil {
		slog.Warn("shop: webhook refused", "err", err)
		http.Error(w, "unverified", http.StatusBadRequest)
		return
	}
	if !r.seen[ev.ID] {
		r.seen[ev.ID] = true
		r.events = append(r.events, ev)
		if reward, ok := ev.Data.(*tandem.RewardToken); ok {
			slog.Info("shop: reward", "type", ev.Type, "reward", reward.ID, "participant", reward.Participant, "description", reward.Description)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// Events returns the messages handled so far, in arrival order.
func (r *Receiver) Events() []*webhook.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*webhook.Event(nil), r.events...)
}
