-- A tenant's webhook endpoints are a plan limit, like its active campaigns
-- and team seats (00025_billing.sql): every event of the tenant fans out to
-- each enabled endpoint that wants it, one delivery and one job each, and
-- the delivery workers are shared by every tenant. Without a cap, one tenant
-- with hundreds of endpoints multiplies its events into work that slows
-- everyone's webhooks.
--
-- The numbers: a tenant needs a production receiver, a staging one and a
-- few integrations (a CRM, a warehouse); 10 is that with room. 50 bounds the
-- fan-out of one event for every paying plan. Stripe, for comparison,
-- allows 16 endpoints per account and mode.
--
-- Unlike the other limits, this one holds for unmetered tenants too (a
-- server without Stripe, where plan is NULL): the fan-out costs the other
-- tenants whatever the bill, so they get the largest plan's cap.
-- As with every plan limit, nothing already there is taken back: a tenant
-- over the cap keeps its endpoints and cannot add one.

-- +goose Up
ALTER TABLE plans ADD COLUMN max_webhook_endpoints integer CHECK (max_webhook_endpoints > 0);
UPDATE plans SET max_webhook_endpoints = CASE id WHEN 'free' THEN 10 ELSE 50 END;
-- Every plan has the cap: the unmetered ceiling is the largest of them.
ALTER TABLE plans ALTER COLUMN max_webhook_endpoints SET NOT NULL;

-- The limit of the tenant's plan named p_limit; NULL when the tenant is
-- unmetered or its plan has no such limit.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION plan_limit(p_tenant uuid, p_limit text) RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT CASE p_limit
    WHEN 'active_campaigns' THEN p.max_active_campaigns
    WHEN 'participants' THEN p.max_participants
    WHEN 'events_per_month' THEN p.max_events_per_month
    WHEN 'team_seats' THEN p.max_team_seats
    WHEN 'webhook_endpoints' THEN p.max_webhook_endpoints END
  FROM tenants t JOIN plans p ON p.id = t.plan
  WHERE t.id = p_tenant
$$;
-- +goose StatementEnd

-- The endpoints a tenant may have: its plan's cap, or the largest plan's
-- when it is unmetered.
-- +goose StatementBegin
CREATE FUNCTION webhook_endpoints_cap(p_tenant uuid) RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT coalesce(plan_limit(p_tenant, 'webhook_endpoints'), (SELECT max(max_webhook_endpoints) FROM plans))
$$;
-- +goose StatementEnd

-- A new endpoint counts the tenant's endpoints already there, enabled or
-- not (a disabled one is enabled again without a new row), under the
-- tenant's plan-limit lock, so two creations at the cap cannot both pass.
-- +goose StatementBegin
CREATE FUNCTION webhook_endpoints_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  m integer := webhook_endpoints_cap(NEW.tenant_id);
BEGIN
  PERFORM lock_plan_limit(NEW.tenant_id, 'webhook_endpoints');
  IF (SELECT count(*) FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id) >= m THEN
    PERFORM plan_limit_reached('webhook_endpoints', m);
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER webhook_endpoints_within_plan BEFORE INSERT ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION webhook_endpoints_within_plan();

-- A webhook URL's scheme is lower case: the application writes it so
-- (models normalises HTTPS:// to https://), and the check that refuses
-- anything else is named, so that a bug reaching it is invalid_webhook_url
-- rather than a 500.
ALTER TABLE webhook_endpoints RENAME CONSTRAINT webhook_endpoints_url_check TO webhook_url;
