-- Applies one verified Stripe event to the transaction's tenant, once:
--   checkout.session.completed      links the customer and subscription
--   customer.subscription.*         sets the plan and status (deleted: canceled)
--   invoice.payment_failed          sets past_due (the plan stays: a grace)
-- p_plan is the plan of the subscription's price (NULL: a price we do not
-- sell, so the plan stays). A subscription that is not (or no longer) paid
-- for puts the tenant on 'free'. Returns the outcome, 'duplicate' for an
-- event seen before, or 'unknown_tenant'. Only the webhook calls it (tenants.ApplyStripeEvent).
CREATE OR REPLACE FUNCTION apply_stripe_event(p_event_id text, p_type text, p_created timestamptz,
  p_customer text, p_subscription text, p_status text, p_plan text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid;
  t       tenants%ROWTYPE;
  outcome text := 'applied';
BEGIN
  -- The row lock orders concurrent deliveries for one tenant. The tenant's
  -- id goes in as a value: Citus locks a row only where it can tell which.
  current_tenant := app_tenant_id();
  SELECT * INTO t FROM tenants WHERE id = current_tenant FOR UPDATE;
  IF NOT FOUND THEN
    -- A tenant id Stripe knows and this database does not (another
    -- environment sharing the Stripe account): nothing to apply it to.
    RETURN 'unknown_tenant';
  END IF;
  IF EXISTS (SELECT 1 FROM stripe_events e WHERE e.tenant_id = t.id AND e.event_id = p_event_id) THEN
    RETURN 'duplicate';
  END IF;
  IF p_type = 'checkout.session.completed' THEN
    -- Links only; the plan comes from the subscription's own events.
    UPDATE tenants SET stripe_customer_id = coalesce(stripe_customer_id, p_customer),
                       stripe_subscription_id = coalesce(stripe_subscription_id, p_subscription)
    WHERE id = t.id;
  ELSIF t.stripe_subscription_id IS NOT NULL AND p_subscription IS DISTINCT FROM t.stripe_subscription_id
        AND (p_type = 'invoice.payment_failed' OR p_status NOT IN ('trialing', 'active', 'past_due')) THEN
    -- A failed payment or the end of a subscription other than the tenant's
    -- own: only a paying subscription replaces the current one.
    outcome := 'ignored';
  ELSIF t.billing_synced_at IS NOT NULL AND (p_created < t.billing_synced_at
        OR (p_created = t.billing_synced_at AND billing_status_rank(p_status) < billing_status_rank(t.billing_status))) THEN
    outcome := 'stale';
  ELSE
    UPDATE tenants SET
      billing_status = p_status,
      billing_synced_at = p_created,
      stripe_customer_id = coalesce(stripe_customer_id, p_customer),
      stripe_subscription_id = coalesce(p_subscription, stripe_subscription_id),
      plan = CASE
        WHEN p_status NOT IN ('trialing', 'active', 'past_due') THEN 'free'
        ELSE coalesce(p_plan, t.plan, 'free') END
    WHERE id = t.id;
  END IF;
  INSERT INTO stripe_events (tenant_id, event_id, type, created, outcome) VALUES (t.id, p_event_id, p_type, p_created, outcome);
  RETURN outcome;
END
$$;

ALTER FUNCTION apply_stripe_event(text,text,timestamp with time zone,text,text,text,text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION apply_stripe_event(text,text,timestamp with time zone,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION apply_stripe_event(text,text,timestamp with time zone,text,text,text,text) TO tandem_app;
