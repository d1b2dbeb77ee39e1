-- Reward fulfilment through the tenant's own Stripe (docs/billing.md): the
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

-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner:
-- granted for that statement only, as 00012_referee.sql does.
GRANT CREATE ON SCHEMA public TO tandem_referee;
GRANT INSERT ON reward_fulfilments TO tandem_referee;
REVOKE CREATE ON SCHEMA public FROM tandem_referee;
