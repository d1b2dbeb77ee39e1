-- Tenants pay for Tandem through Stripe Billing (issue 12, part 2).
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
-- them per request against a cached count (see docs/design.md, Billing).

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

-- A tenant starts unmetered or on the free plan, never on a paid one.
-- +goose StatementBegin
CREATE FUNCTION tenants_start_free() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NEW.plan IS DISTINCT FROM 'free' AND NEW.plan IS NOT NULL THEN
    RAISE EXCEPTION 'a tenant starts on the free plan or unmetered, not on %', NEW.plan
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_starts_free';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER tenants_start_free BEFORE INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION tenants_start_free();

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

-- How far along its life a subscription status is: of two events created in
-- the same second (Stripe's resolution), the later status wins, whatever
-- order they arrive in.
-- +goose StatementBegin
CREATE FUNCTION billing_status_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp
AS $$
  SELECT CASE p_status
    WHEN 'none' THEN 0 WHEN 'incomplete' THEN 1 WHEN 'trialing' THEN 2 WHEN 'active' THEN 3
    WHEN 'past_due' THEN 4 WHEN 'paused' THEN 5 WHEN 'unpaid' THEN 6
    WHEN 'incomplete_expired' THEN 7 WHEN 'canceled' THEN 8 END
$$;
-- +goose StatementEnd

-- Applies one verified Stripe event to the transaction's tenant, once:
--   checkout.session.completed      links the customer and subscription
--   customer.subscription.*         sets the plan and status (deleted: canceled)
--   invoice.payment_failed          sets past_due (the plan stays: a grace)
-- p_plan is the plan of the subscription's price (NULL: a price we do not
-- sell, so the plan stays). A subscription that is not (or no longer) paid
-- for puts the tenant on 'free'. Returns the outcome, 'duplicate' for an
-- event seen before, or 'unknown_tenant'. Only the webhook calls it (tenants.ApplyStripeEvent).
-- +goose StatementBegin
CREATE FUNCTION apply_stripe_event(p_event_id text, p_type text, p_created timestamptz,
  p_customer text, p_subscription text, p_status text, p_plan text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  t       tenants%ROWTYPE;
  outcome text := 'applied';
BEGIN
  -- The row lock orders concurrent deliveries for one tenant.
  SELECT * INTO t FROM tenants WHERE id = app_tenant_id() FOR UPDATE;
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
-- +goose StatementEnd
ALTER FUNCTION apply_stripe_event(text, text, timestamptz, text, text, text, text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION apply_stripe_event(text, text, timestamptz, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION apply_stripe_event(text, text, timestamptz, text, text, text, text) TO tandem_app;

-- The tenant of a Stripe customer, before the tenant is known (the webhook
-- of an event that names only the customer).
GRANT SELECT (stripe_customer_id) ON tenants TO tandem_definer;
-- +goose StatementBegin
CREATE FUNCTION find_tenant_by_stripe_customer(p_customer text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT t.id FROM tenants t WHERE t.stripe_customer_id = p_customer $$;
-- +goose StatementEnd
ALTER FUNCTION find_tenant_by_stripe_customer(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_tenant_by_stripe_customer(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_tenant_by_stripe_customer(text) TO tandem_app;

-- The limit of the tenant's plan named p_limit; NULL when the tenant is
-- unmetered or its plan has no such limit.
-- +goose StatementBegin
CREATE FUNCTION plan_limit(p_tenant uuid, p_limit text) RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT CASE p_limit
    WHEN 'active_campaigns' THEN p.max_active_campaigns
    WHEN 'participants' THEN p.max_participants
    WHEN 'events_per_month' THEN p.max_events_per_month
    WHEN 'team_seats' THEN p.max_team_seats END
  FROM tenants t JOIN plans p ON p.id = t.plan
  WHERE t.id = p_tenant
$$;
-- +goose StatementEnd

-- Refuses with the constraint name plan_limit_<limit>, which models maps to
-- the 402 plan_limit_reached naming the limit. Counting happens under a lock
-- per tenant and limit, so two requests at the limit cannot both pass.
-- +goose StatementBegin
CREATE FUNCTION lock_plan_limit(p_tenant uuid, p_limit text) RETURNS void
LANGUAGE sql VOLATILE SET search_path = public, pg_temp
AS $$ SELECT pg_advisory_xact_lock(hashtextextended('plan_limit:' || p_limit || ':' || p_tenant::text, 0)) $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION plan_limit_reached(p_limit text, p_max integer) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'the plan allows at most % %', p_max, replace(p_limit, '_', ' ')
    USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_limit_' || p_limit;
END
$$;
-- +goose StatementEnd

-- Active campaigns: a campaign becoming active (publishing, resuming) counts
-- the others already active.
-- +goose StatementBegin
CREATE FUNCTION campaigns_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  m integer;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'active' THEN
    RETURN NEW;
  END IF;
  m := plan_limit(NEW.tenant_id, 'active_campaigns');
  IF m IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM lock_plan_limit(NEW.tenant_id, 'active_campaigns');
  IF (SELECT count(*) FROM campaigns c WHERE c.tenant_id = NEW.tenant_id AND c.status = 'active' AND c.id <> NEW.id) >= m THEN
    PERFORM plan_limit_reached('active_campaigns', m);
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER campaigns_within_plan BEFORE INSERT OR UPDATE OF status ON campaigns
  FOR EACH ROW WHEN (NEW.status = 'active') EXECUTE FUNCTION campaigns_within_plan();

-- Team seats: a new member counts the members already there.
-- +goose StatementBegin
CREATE FUNCTION members_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  m integer;
BEGIN
  m := plan_limit(NEW.tenant_id, 'team_seats');
  IF m IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM lock_plan_limit(NEW.tenant_id, 'team_seats');
  IF (SELECT count(*) FROM members x WHERE x.tenant_id = NEW.tenant_id) >= m THEN
    PERFORM plan_limit_reached('team_seats', m);
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER members_within_plan BEFORE INSERT ON members FOR EACH ROW EXECUTE FUNCTION members_within_plan();

-- Participants: once per statement (ingestion creates participants in
-- batches), after the rows are in, counting at most max + 1 rows: a plan with
-- a participant limit is a small tenant, and an unlimited one counts nothing.
-- +goose StatementBegin
CREATE FUNCTION participants_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  t uuid;
  m integer;
BEGIN
  FOR t IN SELECT DISTINCT n.tenant_id FROM new_participants n LOOP
    m := plan_limit(t, 'participants');
    CONTINUE WHEN m IS NULL;
    PERFORM lock_plan_limit(t, 'participants');
    IF (SELECT count(*) FROM (SELECT 1 FROM participants p WHERE p.tenant_id = t LIMIT m + 1) s) > m THEN
      PERFORM plan_limit_reached('participants', m);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER participants_within_plan AFTER INSERT ON participants
  REFERENCING NEW TABLE AS new_participants FOR EACH STATEMENT EXECUTE FUNCTION participants_within_plan();

REVOKE CREATE ON SCHEMA public FROM tandem_referee, tandem_definer;

-- +goose Down
DROP TRIGGER participants_within_plan ON participants;
DROP FUNCTION participants_within_plan();
DROP TRIGGER members_within_plan ON members;
DROP FUNCTION members_within_plan();
DROP TRIGGER campaigns_within_plan ON campaigns;
DROP FUNCTION campaigns_within_plan();
DROP FUNCTION plan_limit_reached(text, integer);
DROP FUNCTION lock_plan_limit(uuid, text);
DROP FUNCTION plan_limit(uuid, text);
DROP FUNCTION find_tenant_by_stripe_customer(text);
REVOKE SELECT (stripe_customer_id) ON tenants FROM tandem_definer;
DROP FUNCTION apply_stripe_event(text, text, timestamptz, text, text, text, text);
DROP FUNCTION billing_status_rank(text);
REVOKE ALL ON tenants FROM tandem_referee;
DROP TABLE stripe_events;
DROP TRIGGER tenants_start_free ON tenants;
DROP FUNCTION tenants_start_free();
REVOKE INSERT ON tenants FROM tandem_app;
GRANT INSERT ON tenants TO tandem_app;
ALTER TABLE tenants DROP COLUMN billing_synced_at, DROP COLUMN stripe_subscription_id,
  DROP COLUMN stripe_customer_id, DROP COLUMN billing_status, DROP COLUMN plan;
REVOKE ALL ON plans FROM tandem_app, tandem_referee;
DROP TABLE plans;
