package jobs

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem/internal/metrics"
	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/models"
)

// countOutcomes counts the jobs client finishes, by kind and outcome,
// until it stops. River reports them as events; the counting is a map
// lookup, fast enough never to fill River's buffer.
func countOutcomes(client *river.Client[pgx.Tx]) {
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed,
		river.EventKindJobCancelled, river.EventKindJobSnoozed)
	go func() {
		defer cancel()
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					return
				}
				metrics.JobOutcomes.WithLabelValues(ev.Job.Kind, outcome(ev)).Inc()
			case <-client.Stopped():
				return
			}
		}
	}()
}

// outcome names how a job's run ended: a failed job River will retry is
// "failed", one it gave up on "discarded".
func outcome(ev *river.Event) string {
	switch {
	case ev.Kind == river.EventKindJobFailed && ev.Job.State == rivertype.JobStateDiscarded:
		return "discarded"
	case ev.Kind == river.EventKindJobFailed:
		return "failed"
	case ev.Kind == river.EventKindJobCancelled:
		return "cancelled"
	case ev.Kind == river.EventKindJobSnoozed:
		return "snoozed"
	}
	return "completed"
}

// observeDelivery counts a webhook attempt by outcome (delivered; refused:
// the receiver answered, not 2xx; failed: no answer) and times it.
func observeDelivery(a models.WebhookAttempt) {
	result := "failed"
	switch {
	case a.Succeeded():
		result = "delivered"
	case a.StatusCode != nil:
		result = "refused"
	}
	metrics.WebhookDeliveries.WithLabelValues(result).Inc()
	metrics.WebhookDuration.Observe((time.Duration(a.DurationMS) * time.Millisecond).Seconds())
}

// observeFulfilment counts a call to Stripe that fulfils a reward: ok,
// refused (Stripe said no: the key, the customer, the amount) or error.
func observeFulfilment(err error) {
	result := "ok"
	switch {
	case err != nil && stripereward.Rejected(err):
		result = "refused"
	case err != nil:
		result = "error"
	}
	metrics.StripeCalls.WithLabelValues("fulfil", result).Inc()
}
