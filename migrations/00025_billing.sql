-- Tenants pay for Tandem through Stripe Billing (docs/billing.md).
--
-- Plans and their limits live here, and so does their enforcement: each limit
-- is a trigger on the table it limits, so no code path (the API, the console,
-- a job, a bug) can go past it. A limit only refuses what is new: nothing
-- already there is taken back when a tenant moves to a smaller plan (its
-- campaigns keep running, its participants and members stay); only the next
-- activation, participant or member is refused.
--
-- A tenant whose plan is NULL is unmetered: that is every tenant of a server
-- running without Stripe (self-hosting, make run). With Stripe configured,
-- sign-up puts new tenants on 'free'.
--
-- The plan moves only through apply_stripe_event, owned by tandem_referee
-- (00012_referee.sql): tandem_app can neither choose its plan nor write the
-- record of processed Stripe events.
--
-- Events per month are not a trigger: ingestion is the hot path, and a counter
-- row per tenant would serialise a tenant's events. tenants.EventQuota checks
-- them per request against a cached count (see docs/billing.md).

-- +goose Up
GRANT CREATE ON SCHEMA public TO tandem_referee, tandem_definer;

-- The plans on sale. A NULL maximum is no limit. Seeded here, read by all.
CREATE TABLE plans (
  id                   text PRIMARY KEY CHECK (id IN ('free', 'growth', 'scale')),
  name                 text NOT NULL,
  -- Order on the billing page, cheapest first.
  rank                 integer NOT NULL UNIQUE,
  max_active_campaigns integer CHECK (max_active_campaigns > 0),
  max_participants     integer CHECK (max_participants > 0),
  max_events_per_month integer CHECK (max_events_per_month > 0),
  max_team_seats       integer CHECK (max_team_seats > 0)
);
INSERT INTO plans (id, name, rank, max_active_campaigns, max_participants, max_events_per_month, max_team_seats) VALUES
  ('free',   'Free',   1, 1,  1000,  10000,   2),
  ('growth', 'Growth', 2, 5,  25000, 500000,  10),
  ('scale',  'Scale',  3, 25, NULL,  NULL,    25);
GRANT SELECT ON plans TO tandem_app, tandem_referee;

-- A tenant's plan, its Stripe subscription's status, and the Stripe ids that
-- find it. billing_synced_at is the creation time of the newest Stripe event
-- applied: an older event arriving later changes nothing (ordering).
ALTER TABLE tenants
  ADD COLUMN plan text REFERENCES plans (id),
  ADD COLUMN billing_status text NOT NULL DEFAULT 'none' CHECK (billing_status IN
    ('none', 'incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused')),
  ADD COLUMN stripe_customer_id text UNIQUE CHECK (stripe_customer_id ~ '^cus_[A-Za-z0-9]{1,250}$'),
  ADD COLUMN stripe_subscription_id text CHECK (stripe_subscription_id ~ '^sub_[A-Za-z0-9]{1,250}$'),
  ADD COLUMN billing_synced_at timestamptz;

-- tandem_app inserts a tenant (sign-up) but chooses nothing about billing
-- except starting on the free plan; it updates only the name.
REVOKE INSERT ON tenants FROM tandem_app;
GRANT INSERT (id, slug, name, plan) ON tenants TO tandem_app;

-- The Stripe events applied to a tenant, by Stripe's event id: a redelivered
-- event finds its row and changes nothing (idempotency).
CREATE TABLE stripe_events (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  event_id     text NOT NULL CHECK (event_id ~ '^evt_[A-Za-z0-9]{1,250}$'),
  type         text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
  created      timestamptz NOT NULL,
  -- applied: it moved the tenant's billing; stale: a newer event had already
  -- been applied; ignored: it was about another subscription.
  outcome      text NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, event_id)
);
SELECT enable_tenant_rls('stripe_events');
GRANT SELECT ON stripe_events TO tandem_app;
GRANT SELECT, INSERT ON stripe_events TO tandem_referee;
GRANT SELECT, UPDATE (plan, billing_status, stripe_customer_id, stripe_subscription_id, billing_synced_at)
  ON tenants TO tandem_referee;

-- The tenant of a Stripe customer, before the tenant is known (the webhook
-- of an event that names only the customer).
GRANT SELECT (stripe_customer_id) ON tenants TO tandem_definer;

REVOKE CREATE ON SCHEMA public FROM tandem_referee, tandem_definer;
