package stripebilling

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v76"

	"github.com/tandemhq/tandem/internal/stripemock"
	"github.com/tandemhq/tandem/models"
)

func testConfig(t *testing.T) Config {
	return Config{SecretKey: "sk_test_billing", WebhookSecret: "whsec_billing", APIBase: stripemock.URL(t),
		Prices: map[string]string{models.PlanGrowth: "price_growth", models.PlanScale: "price_scale"}}
}

// Checkout sessions and portal sessions, created against stripe-mock.
func TestCheckoutAndPortalAgainstStripeMock(t *testing.T) {
	b := New(testConfig(t), nil)
	ctx := context.Background()
	for _, customer := range []string{"", "cus_billingtest"} {
		url, err := b.CheckoutURL(ctx, uuid.New(), models.PlanGrowth, customer, "https://tandem.test/billing?checkout=done", "https://tandem.test/billing")
		if err != nil || !strings.HasPrefix(url, "https://") {
			t.Fatalf("checkout (customer %q): %q, %v", customer, url, err)
		}
	}
	if _, err := b.CheckoutURL(ctx, uuid.New(), models.PlanFree, "", "https://a.test", "https://a.test"); !errors.Is(err, ErrNotForSale) {
		t.Fatalf("checkout for free: %v, want ErrNotForSale", err)
	}
	url, err := b.PortalURL(ctx, "cus_billingtest", "https://tandem.test/billing")
	if err != nil || !strings.HasPrefix(url, "https://") {
		t.Fatalf("portal: %q, %v", url, err)
	}
	if _, err := b.PortalURL(ctx, "", "https://tandem.test/billing"); !errors.Is(err, ErrNoCustomer) {
		t.Fatalf("portal without a customer: %v, want ErrNoCustomer", err)
	}
}

// Billing off calls nothing.
func TestBillingOff(t *testing.T) {
	b := New(Config{Prices: map[string]string{models.PlanGrowth: "price_growth"}}, nil)
	ctx := context.Background()
	if b.Enabled() || b.Sells(models.PlanGrowth) {
		t.Fatal("billing without a key is on")
	}
	if _, err := b.CheckoutURL(ctx, uuid.New(), models.PlanGrowth, "", "https://a.test", "https://a.test"); !errors.Is(err, ErrOff) {
		t.Fatalf("checkout: %v", err)
	}
	if _, err := b.HandleWebhook(ctx, []byte(`{}`), "t=1,v1=00"); !errors.Is(err, ErrOff) {
		t.Fatalf("webhook: %v", err)
	}
	// A key without a webhook secret must not verify with an empty one.
	on := New(Config{SecretKey: "sk_test_x"}, nil)
	if _, err := on.HandleWebhook(ctx, []byte(`{}`), "t=1,v1=00"); !errors.Is(err, ErrOff) {
		t.Fatalf("webhook without a secret: %v", err)
	}
}

// readEvent takes any data a signed event may carry without panicking, and
// reads what it keeps from the ones it follows.
func FuzzReadEvent(f *testing.F) {
	tenant := uuid.New().String()
	f.Add("customer.subscription.updated", `{"id":"sub_1","object":"subscription","customer":"cus_1","status":"active",
		"metadata":{"tandem_tenant_id":"`+tenant+`"},"items":{"object":"list","data":[{"id":"si_1","price":{"id":"price_scale"}}]}}`)
	f.Add("customer.subscription.deleted", `{"id":"sub_1","customer":{"id":"cus_1","object":"customer"},"status":"active","items":{"data":[]}}`)
	f.Add("checkout.session.completed", `{"id":"cs_1","client_reference_id":"`+tenant+`","customer":"cus_1","subscription":"sub_1"}`)
	f.Add("checkout.session.completed", `{"id":"cs_1","client_reference_id":"not a uuid","customer":null}`)
	f.Add("invoice.payment_failed", `{"id":"in_1","customer":"cus_1","subscription":"sub_1","subscription_details":{"metadata":{"tandem_tenant_id":"`+tenant+`"}}}`)
	f.Add("invoice.payment_failed", `{"id":"in_1","subscription_details":null,"items":7}`)
	f.Add("charge.succeeded", `{"id":"ch_1"}`)
	f.Add("customer.subscription.created", `[]`)
	b := New(Config{SecretKey: "sk_test_fuzz", Prices: map[string]string{models.PlanScale: "price_scale"}}, nil)
	f.Fuzz(func(t *testing.T, typ, data string) {
		ev := stripe.Event{ID: "evt_fuzz", Type: stripe.EventType(typ), Created: 1700000000,
			Data: &stripe.EventData{Raw: json.RawMessage(data)}}
		e, tenantID, _, err := b.readEvent(ev)
		if err != nil {
			return
		}
		followed := map[string]bool{"checkout.session.completed": true, "customer.subscription.created": true,
			"customer.subscription.updated": true, "customer.subscription.deleted": true, "invoice.payment_failed": true}
		if followed[typ] != (e.Type == typ) || (!followed[typ] && tenantID != uuid.Nil) {
			t.Fatalf("%s: read as %+v (tenant %s)", typ, e, tenantID)
		}
		if typ == "customer.subscription.deleted" && e.Status != "canceled" {
			t.Fatalf("a deleted subscription read as %q", e.Status)
		}
		if e.Plan != "" && e.Plan != models.PlanScale {
			t.Fatalf("plan %q from no configured price", e.Plan)
		}
	})
}
