package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// DeliveryTimeout bounds one attempt: connecting, sending and the answer.
const DeliveryTimeout = 10 * time.Second

// responseCap is how much of an answer's body is read (and kept, cut
// shorter, in the delivery log).
const responseCap = 4 << 10

// deliveryArgs are the arguments of a webhook_delivery job, inserted by
// webhook_queue (migrations/functions/webhook_queue.sql).
type deliveryArgs struct {
	TenantID   uuid.UUID `json:"tenant_id"`
	DeliveryID string    `json:"delivery_id"`
}

func (deliveryArgs) Kind() string { return "webhook_delivery" }

// deliveryWorker sends one delivery, one attempt per run; River runs it
// again on the retry schedule until it succeeds or the schedule ends.
type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	cfg    Config
	client *http.Client
	slots  *tenantSlots
}

func newDeliveryWorker(cfg Config) *deliveryWorker {
	return &deliveryWorker{cfg: cfg, client: cfg.Policy.Client(DeliveryTimeout), slots: newTenantSlots(cfg.DeliveriesPerTenant)}
}

// deliverySnooze is how long a delivery waits when its tenant has all its
// slots: long enough that the queue's other tenants are fetched first (a
// snoozed job goes behind those due before it wakes), short beside a
// receiver's timeout. A snooze costs no attempt.
const deliverySnooze = time.Second

// NextRetry follows the webhook retry schedule.
func (w *deliveryWorker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	return w.cfg.Now().Add(retryDelay(w.cfg.RetrySchedule, job.Attempt))
}

// Work prepares the delivery in the tenant's transaction (the body is
// rendered once), sends it outside any transaction, then records the
// attempt in another; or, when the tenant has DeliveriesPerTenant of its
// deliveries on their way from this process, snoozes. A failed attempt returns an error so that River
// retries it; after the schedule's last, the delivery has failed and the
// job is cancelled.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	if !w.slots.take(job.Args.TenantID) {
		return river.JobSnooze(deliverySnooze)
	}
	defer w.slots.release(job.Args.TenantID)
	var out models.OutgoingWebhook
	var ok bool
	err := tenants.WithTenant(ctx, w.cfg.DB, job.Args.TenantID, func(ctx context.Context) error {
		var err error
		out, ok, err = models.PrepareWebhookDelivery(ctx, w.cfg.Secrets, job.Args.DeliveryID, w.cfg.Render, w.cfg.Now())
		return err
	})
	var notFound *models.Error
	if errors.As(err, &notFound) && notFound == models.ErrWebhookDeliveryNotFound {
		return river.JobCancel(err) // its endpoint was deleted
	}
	if err != nil || !ok {
		return err
	}
	attempt := w.send(ctx, out)
	observeDelivery(attempt)
	final := job.Attempt > len(w.cfg.RetrySchedule)
	var disabled bool
	err = tenants.WithTenant(context.WithoutCancel(ctx), w.cfg.DB, job.Args.TenantID, func(ctx context.Context) error {
		var err error
		disabled, err = models.RecordWebhookAttempt(ctx, out.DeliveryID, attempt, final)
		return err
	})
	if err != nil {
		return err
	}
	if disabled {
		w.cfg.Logger.Warn("jobs: webhook endpoint disabled after failing for days", "tenant", job.Args.TenantID, "delivery", out.DeliveryID)
	}
	if attempt.Succeeded() {
		return nil
	}
	failure := fmt.Errorf("webhook delivery %s attempt %d: %s", out.DeliveryID, out.Attempt, attemptSummary(attempt))
	if final || disabled {
		return river.JobCancel(failure)
	}
	return failure
}

// send makes one attempt and says what came of it; it never fails, a
// failure is part of the answer.
func (w *deliveryWorker) send(ctx context.Context, out models.OutgoingWebhook) models.WebhookAttempt {
	start := w.cfg.Now()
	a := models.WebhookAttempt{At: start}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, out.URL, bytes.NewReader(out.Body))
	if err != nil {
		a.Error = "bad request: " + err.Error()
		return a
	}
	timestamp := strconv.FormatInt(start.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Tandem-Webhooks/1")
	req.Header.Set("webhook-id", out.MessageID)
	req.Header.Set("webhook-timestamp", timestamp)
	req.Header.Set("webhook-signature", Sign(out.Secrets, out.MessageID, timestamp, out.Body))
	began := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		a.DurationMS = int(time.Since(began).Milliseconds())
		a.Error = describeSendError(err)
		return a
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, responseCap))
	resp.Body.Close()
	a.DurationMS = int(time.Since(began).Milliseconds())
	code := resp.StatusCode
	a.StatusCode = &code
	a.Response = strings.ToValidUTF8(string(body), "\uFFFD")
	return a
}

// describeSendError says why no answer came, without the URL (which the
// log shows beside it anyway).
func describeSendError(err error) string {
	var urlErr interface{ Timeout() bool }
	switch {
	case errors.As(err, &urlErr) && urlErr.Timeout():
		return fmt.Sprintf("no answer within %s", DeliveryTimeout)
	case strings.Contains(err.Error(), "safehttp:"):
		return "the address is not a public internet address"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

func attemptSummary(a models.WebhookAttempt) string {
	if a.StatusCode != nil {
		return "answered " + strconv.Itoa(*a.StatusCode)
	}
	return a.Error
}

// Sign computes the webhook-signature header of the Standard Webhooks
// specification: for each secret (whsec_ and base64), "v1," and the base64
// HMAC-SHA256 of "id.timestamp.body", separated by spaces. A secret that
// does not decode is skipped (none is stored that way).
func Sign(secrets []string, id, timestamp string, body []byte) string {
	var sigs []string
	for _, s := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
		if err != nil {
			continue
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id + "." + timestamp + "."))
		mac.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(sigs, " ")
}
