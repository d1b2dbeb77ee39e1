-- Reward fulfilment through the tenant's own Stripe (issue 12, part 1): the
-- tenant's connection (its key, encrypted), a participant's Stripe customer,
-- two reward kinds Stripe fulfils, and each such token's fulfilment,
-- recorded and queued by a trigger in the transaction that issues it.

-- +goose Up
-- One connection per tenant. The key is sealed by package secrets
-- (AES-256-GCM, the tenant as associated data); key_hint is all the
-- console and the API ever show of it.
CREATE TABLE stripe_connections (
  tenant_id    uuid PRIMARY KEY DEFAULT app_tenant_id() REFERENCES tenants (id),
  api_key      bytea NOT NULL CHECK (length(api_key) BETWEEN 28 AND 400),
  key_hint     text NOT NULL CHECK (key_hint ~ '^(sk|rk)_(test|live)_…[A-Za-z0-9]{4}$'),
  connected_at timestamptz NOT NULL DEFAULT now()
);
SELECT enable_tenant_rls('stripe_connections');
GRANT SELECT, INSERT, UPDATE, DELETE ON stripe_connections TO tandem_app;

-- A participant's customer in the tenant's Stripe: where a balance credit
-- goes, and whom a promotion code is restricted to.
ALTER TABLE participants ADD COLUMN stripe_customer_id text
  CHECK (stripe_customer_id ~ '^cus_[A-Za-z0-9]{1,250}$');
GRANT UPDATE (stripe_customer_id) ON participants TO tandem_app;

-- The reward kinds, with the two Stripe fulfils: a coupon (and its
-- single-use promotion code) and a customer balance credit. Both are for a
-- money amount: a Stripe reward without one could not be fulfilled (coalesce:
-- a CHECK that is NULL passes).
ALTER TABLE campaign_versions DROP CONSTRAINT campaign_versions_guest_reward_kind_check;
ALTER TABLE campaign_versions ADD CONSTRAINT campaign_versions_guest_reward_kind_check CHECK (guest_reward_kind IN
  ('credit', 'coupon', 'cash', 'ticket', 'custom', 'stripe_coupon', 'stripe_balance'));
ALTER TABLE campaign_versions ADD CONSTRAINT guest_reward_stripe_amount CHECK (
  guest_reward_kind NOT IN ('stripe_coupon', 'stripe_balance') OR coalesce(guest_reward_amount, 0) > 0);
ALTER TABLE campaign_version_milestones DROP CONSTRAINT campaign_version_milestones_reward_kind_check;
ALTER TABLE campaign_version_milestones ADD CONSTRAINT campaign_version_milestones_reward_kind_check CHECK (reward_kind IN
  ('credit', 'coupon', 'cash', 'ticket', 'custom', 'stripe_coupon', 'stripe_balance'));
ALTER TABLE campaign_version_milestones ADD CONSTRAINT milestone_reward_stripe_amount CHECK (
  reward_kind NOT IN ('stripe_coupon', 'stripe_balance') OR coalesce(reward_amount, 0) > 0);
ALTER TABLE reward_tokens DROP CONSTRAINT reward_tokens_kind_check;
ALTER TABLE reward_tokens ADD CONSTRAINT reward_tokens_kind_check CHECK (kind IN
  ('credit', 'coupon', 'cash', 'ticket', 'custom', 'stripe_coupon', 'stripe_balance'));
ALTER TABLE reward_tokens ADD CONSTRAINT reward_stripe_amount CHECK (
  kind NOT IN ('stripe_coupon', 'stripe_balance') OR coalesce(amount, 0) > 0);
-- The dashboard's rollup counts tokens by kind.
ALTER TABLE campaign_reward_rollups DROP CONSTRAINT campaign_reward_rollups_kind_check;
ALTER TABLE campaign_reward_rollups ADD CONSTRAINT campaign_reward_rollups_kind_check CHECK (kind IN
  ('credit', 'coupon', 'cash', 'ticket', 'custom', 'stripe_coupon', 'stripe_balance'));

-- A Stripe reward's fulfilment: one row per token, created with it.
-- pending until a job has made the Stripe objects (stripe_object: the
-- coupon or balance transaction; code: the promotion code), failed with
-- the last error while retries last; fulfilled for good.
CREATE TABLE reward_fulfilments (
  tenant_id     uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  reward_id     text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'failed')),
  stripe_object text CHECK (stripe_object ~ '^[A-Za-z0-9_]{1,255}$'),
  code          text CHECK (code ~ '^[A-Za-z0-9_-]{1,100}$'),
  error         text NOT NULL DEFAULT '' CHECK (length(error) <= 500),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, reward_id),
  FOREIGN KEY (tenant_id, reward_id) REFERENCES reward_tokens (tenant_id, id),
  -- Fulfilled means made in Stripe; failed always says why.
  CONSTRAINT fulfilment_object CHECK ((status = 'fulfilled') = (stripe_object IS NOT NULL)),
  CONSTRAINT fulfilment_error CHECK ((status = 'failed') = (error <> '')),
  CONSTRAINT fulfilment_code CHECK (code IS NULL OR status = 'fulfilled')
);
-- The rewards queue's filter on a fulfilment's status.
CREATE INDEX reward_fulfilments_by_status ON reward_fulfilments (tenant_id, status);
SELECT enable_tenant_rls('reward_fulfilments');
-- Rows come from the trigger below only; the job and the retry button update them.
GRANT SELECT, UPDATE (status, stripe_object, code, error, attempts, updated_at) ON reward_fulfilments TO tandem_app;

-- A fulfilment once fulfilled stays as it is: the coupon exists in Stripe.
-- +goose StatementBegin
CREATE FUNCTION reward_fulfilments_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF OLD.status = 'fulfilled' AND NEW IS DISTINCT FROM OLD THEN
    RAISE EXCEPTION 'reward % is fulfilled for good', OLD.reward_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fulfilment_final';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reward_fulfilments_guard BEFORE UPDATE ON reward_fulfilments
  FOR EACH ROW EXECUTE FUNCTION reward_fulfilments_guard();

-- reward_fulfilment_queue queues the River job (kind reward_fulfilment,
-- package jobs) in the caller's transaction: issued and queued together or
-- not at all. River retries a failed run with its backoff, 12 runs in all.
-- +goose StatementBegin
CREATE FUNCTION reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO river_job (kind, queue, max_attempts, args)
  VALUES ('reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', p_tenant_id, 'reward_id', p_reward_id));
  PERFORM pg_notify('river_insert', '{"queue": "default"}');
END
$$;
-- +goose StatementEnd

-- A Stripe reward issued gets its pending fulfilment and its job.
-- SECURITY DEFINER (tandem_referee), as webhook_record: tokens are issued
-- inside the referee's functions too, and tandem_app may not insert
-- fulfilments itself.
-- +goose StatementBegin
CREATE FUNCTION reward_tokens_fulfil() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO reward_fulfilments (tenant_id, reward_id) VALUES (NEW.tenant_id, NEW.id);
  PERFORM reward_fulfilment_queue(NEW.tenant_id, NEW.id);
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reward_tokens_fulfil AFTER INSERT ON reward_tokens
  FOR EACH ROW WHEN (NEW.kind IN ('stripe_coupon', 'stripe_balance'))
  EXECUTE FUNCTION reward_tokens_fulfil();

-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner:
-- granted for that statement only, as 00012_referee.sql does.
GRANT CREATE ON SCHEMA public TO tandem_referee;
GRANT INSERT ON reward_fulfilments TO tandem_referee;
ALTER FUNCTION reward_tokens_fulfil() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION reward_tokens_fulfil() FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM tandem_referee;
-- The retry button queues a job as tandem_app; the trigger as the referee.
REVOKE ALL ON FUNCTION reward_fulfilment_queue(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reward_fulfilment_queue(uuid, text) TO tandem_app, tandem_referee;

-- +goose Down
DROP TRIGGER reward_tokens_fulfil ON reward_tokens;
DROP FUNCTION reward_tokens_fulfil();
DROP FUNCTION reward_fulfilment_queue(uuid, text);
DROP TABLE reward_fulfilments;
DROP FUNCTION reward_fulfilments_guard();
ALTER TABLE campaign_reward_rollups DROP CONSTRAINT campaign_reward_rollups_kind_check;
ALTER TABLE campaign_reward_rollups ADD CONSTRAINT campaign_reward_rollups_kind_check CHECK (kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom'));
ALTER TABLE reward_tokens DROP CONSTRAINT reward_stripe_amount;
ALTER TABLE reward_tokens DROP CONSTRAINT reward_tokens_kind_check;
ALTER TABLE reward_tokens ADD CONSTRAINT reward_tokens_kind_check CHECK (kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom'));
ALTER TABLE campaign_version_milestones DROP CONSTRAINT milestone_reward_stripe_amount;
ALTER TABLE campaign_version_milestones DROP CONSTRAINT campaign_version_milestones_reward_kind_check;
ALTER TABLE campaign_version_milestones ADD CONSTRAINT campaign_version_milestones_reward_kind_check CHECK (reward_kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom'));
ALTER TABLE campaign_versions DROP CONSTRAINT guest_reward_stripe_amount;
ALTER TABLE campaign_versions DROP CONSTRAINT campaign_versions_guest_reward_kind_check;
ALTER TABLE campaign_versions ADD CONSTRAINT campaign_versions_guest_reward_kind_check CHECK (guest_reward_kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom'));
ALTER TABLE participants DROP COLUMN stripe_customer_id;
DROP TABLE stripe_connections;
