-- A tenant starts unmetered or on the free plan, never on a paid one, and
-- with no billing state: that moves only with Stripe (apply_stripe_event).
-- The column grant of 00025 keeps tandem_app from naming the billing
-- columns on plain PostgreSQL; on Citus, which writes every column to the
-- shard, tandem_app holds INSERT on the whole table (always/citus.sql) and
-- this check is what refuses.
CREATE OR REPLACE FUNCTION tenants_start_free() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NEW.plan IS DISTINCT FROM 'free' AND NEW.plan IS NOT NULL THEN
    RAISE EXCEPTION 'a tenant starts on the free plan or unmetered, not on %', NEW.plan
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_starts_free', DETAIL = 'constraint "tenant_starts_free"';
  END IF;
  IF NEW.billing_status <> 'none' OR NEW.stripe_customer_id IS NOT NULL
     OR NEW.stripe_subscription_id IS NOT NULL OR NEW.billing_synced_at IS NOT NULL THEN
    RAISE EXCEPTION 'a tenant starts with no billing state'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_starts_free', DETAIL = 'constraint "tenant_starts_free"';
  END IF;
  RETURN NEW;
END
$$;
