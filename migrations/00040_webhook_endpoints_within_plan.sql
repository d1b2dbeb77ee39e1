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

-- A webhook URL's scheme is lower case: the application writes it so
-- (models normalises HTTPS:// to https://), and the check that refuses
-- anything else is named, so that a bug reaching it is invalid_webhook_url
-- rather than a 500.
ALTER TABLE webhook_endpoints RENAME CONSTRAINT webhook_endpoints_url_check TO webhook_url;
