-- Webhooks out: endpoints, a transactional outbox of messages,
-- their deliveries and every attempt. Messages are recorded by triggers in
-- the transaction of the change that causes them, so a rolled-back change
-- records nothing and a committed one always has its message; the same
-- statement queues one River job per delivery (River's river_job table,
-- created by River's own migrator after goose: see models.Migrate).

-- +goose Up
CREATE TABLE webhook_endpoints (
  tenant_id       uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id              text NOT NULL DEFAULT new_id('whe'),
  -- https only (plain http only where WEBHOOK_ALLOW_PRIVATE_NETWORKS allows
  -- it, which the application checks); the address is checked again at
  -- every connection, after DNS.
  url             text NOT NULL CHECK (url ~ '^https?://[^[:space:]]+$' AND length(url) <= 2000),
  description     text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  -- The event types the endpoint wants, or '*' for all of them.
  events          text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 11 AND events <@ ARRAY['*',
                    'invitation.created', 'invitation.claimed', 'quest.progressed', 'invitation.completed',
                    'reward.issued', 'reward.redeemed', 'reward.voided', 'reward.expired',
                    'raffle.drawn', 'campaign.published']),
  status          text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  -- Why a disabled endpoint is: the tenant said so, or it failed for days.
  disabled_reason text CHECK (disabled_reason IN ('tenant', 'failing')),
  -- The signing secret, encrypted (package secrets: AES-256-GCM, nonce
  -- first); after a rotation the previous one signs too until previous_until.
  secret          bytea NOT NULL CHECK (length(secret) BETWEEN 28 AND 200),
  previous_secret bytea CHECK (length(previous_secret) BETWEEN 28 AND 200),
  previous_until  timestamptz,
  -- Since when every attempt has failed; a success clears it.
  failing_since   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT endpoint_disabled_reason CHECK ((status = 'disabled') = (disabled_reason IS NOT NULL)),
  CONSTRAINT endpoint_previous_secret CHECK ((previous_secret IS NULL) = (previous_until IS NULL))
);
-- The one probe a change pays when its tenant wants no webhook (webhook_record).
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (tenant_id) WHERE status = 'enabled';
SELECT enable_tenant_rls('webhook_endpoints');
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints TO tandem_app;

-- The outbox: one row per thing that happened. The id is the webhook-id
-- every delivery and retry of it carries. facts holds what only the moment
-- knows (the step just completed); payload is the body, rendered once on
-- the first attempt and then sent unchanged by every retry and endpoint.
CREATE TABLE webhook_messages (
  tenant_id  uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  -- In time order (ms), as the log lists them.
  id         text NOT NULL DEFAULT new_sorted_id('msg'),
  type       text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$' AND length(type) <= 50),
  object_id  text NOT NULL CHECK (length(object_id) <= 200),
  facts      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(facts) = 'object'),
  payload    bytea CHECK (length(payload) <= 1048576),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('webhook_messages');
-- The API and console add test messages; a body once rendered stays (the
-- guard below), so retries send what the first attempt sent.
GRANT SELECT, INSERT, UPDATE (payload) ON webhook_messages TO tandem_app;

-- One message to one endpoint.
CREATE TABLE webhook_deliveries (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id           text NOT NULL DEFAULT new_id('whd'),
  message_id   text NOT NULL,
  endpoint_id  text NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  -- A message reaches an endpoint through one delivery; a replay reuses it.
  UNIQUE (tenant_id, message_id, endpoint_id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES webhook_messages (tenant_id, id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT delivery_finished CHECK ((status = 'pending') = (finished_at IS NULL))
);
-- The delivery log of an endpoint, newest first.
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC);
SELECT enable_tenant_rls('webhook_deliveries');
GRANT SELECT, INSERT, UPDATE (status, attempts, finished_at) ON webhook_deliveries TO tandem_app;

-- Every attempt of a delivery: what the endpoint answered, how fast.
CREATE TABLE webhook_attempts (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  delivery_id  text NOT NULL,
  attempt      integer NOT NULL CHECK (attempt >= 1),
  attempted_at timestamptz NOT NULL DEFAULT now(),
  -- NULL when no answer came (refused address, timeout, connection error).
  status_code  integer CHECK (status_code BETWEEN 100 AND 599),
  duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
  error        text NOT NULL DEFAULT '' CHECK (length(error) <= 500),
  -- The start of the answer's body, for the log.
  response     text NOT NULL DEFAULT '' CHECK (length(response) <= 1000),
  PRIMARY KEY (tenant_id, delivery_id, attempt),
  FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
SELECT enable_tenant_rls('webhook_attempts');
GRANT SELECT, INSERT ON webhook_attempts TO tandem_app;

-- The referee records the outbox; what it reads and writes for that.
-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner:
-- granted for that statement only, as 00012_referee.sql does.
GRANT CREATE ON SCHEMA public TO tandem_referee;
GRANT SELECT ON webhook_endpoints TO tandem_referee;
GRANT SELECT, INSERT ON webhook_messages, webhook_deliveries TO tandem_referee;
REVOKE CREATE ON SCHEMA public FROM tandem_referee;
