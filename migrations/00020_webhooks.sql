-- Webhooks out (issue 11): endpoints, a transactional outbox of messages,
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

-- A rendered body is never rewritten: every retry and endpoint sends the
-- same bytes under the same webhook-id.
-- +goose StatementBegin
CREATE FUNCTION webhook_messages_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF OLD.payload IS NOT NULL AND NEW.payload IS DISTINCT FROM OLD.payload THEN
    RAISE EXCEPTION 'webhook message % is already rendered', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'webhook_payload_once';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER webhook_messages_guard BEFORE UPDATE ON webhook_messages
  FOR EACH ROW EXECUTE FUNCTION webhook_messages_guard();

-- webhook_queue queues one River job per delivery, in the caller's
-- transaction: the job commits with the change or not at all. River's
-- worker for kind webhook_delivery (package jobs) reads the delivery inside
-- the tenant's own transaction, so the arguments reach nothing else. The
-- notification wakes the workers at commit instead of at their next poll.
-- +goose StatementBegin
CREATE FUNCTION webhook_queue(p_tenant_id uuid, p_delivery_ids text[]) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO river_job (kind, queue, max_attempts, args)
  SELECT 'webhook_delivery', 'webhooks', 25, jsonb_build_object('tenant_id', p_tenant_id, 'delivery_id', d)
  FROM unnest(p_delivery_ids) d;
  PERFORM pg_notify('river_insert', '{"queue": "webhooks"}');
END
$$;
-- +goose StatementEnd

-- webhook_record is the outbox: called by the triggers below in the
-- transaction of the change. A tenant with no enabled endpoint that wants
-- p_type pays one probe of webhook_endpoints_enabled and nothing more.
-- SECURITY DEFINER (tandem_referee): triggers fire inside the referee's own
-- functions too, and tandem_app need not write river_job for it.
-- +goose StatementBegin
CREATE FUNCTION webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  msg text;
  deliveries text[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                 WHERE e.tenant_id = p_tenant_id AND e.status = 'enabled' AND e.events && ARRAY[p_type, '*']) THEN
    RETURN;
  END IF;
  INSERT INTO webhook_messages (tenant_id, type, object_id, facts)
  VALUES (p_tenant_id, p_type, p_object_id, p_facts) RETURNING id INTO msg;
  WITH d AS (
    INSERT INTO webhook_deliveries (tenant_id, message_id, endpoint_id)
    SELECT p_tenant_id, msg, e.id FROM webhook_endpoints e
    WHERE e.tenant_id = p_tenant_id AND e.status = 'enabled' AND e.events && ARRAY[p_type, '*']
    RETURNING id)
  SELECT array_agg(id) INTO deliveries FROM d;
  PERFORM webhook_queue(p_tenant_id, deliveries);
END
$$;
-- +goose StatementEnd

-- Invitations: created (a host's invitation), claimed, a quest step done,
-- completed. The WHEN clauses keep the cost off updates that change none
-- of these (ingestion re-judges invitations whose progress stays put).
-- +goose StatementBegin
CREATE FUNCTION invitations_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  step text;
  done integer;
BEGIN
  -- A tenant without an enabled endpoint stops here, before the steps are read.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id AND e.status = 'enabled') THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.kind = 'invitation' THEN
      PERFORM webhook_record(NEW.tenant_id, 'invitation.created', NEW.id, '{}');
    END IF;
    IF NEW.guest_id IS NOT NULL THEN
      PERFORM webhook_record(NEW.tenant_id, 'invitation.claimed', NEW.id, '{}');
    END IF;
    RETURN NULL;
  END IF;
  IF OLD.guest_id IS NULL AND NEW.guest_id IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.claimed', NEW.id, '{}');
  END IF;
  -- One message per step done: an event that completes a later step first
  -- moves progress by several once the gap fills.
  FOR step, done IN
    SELECT s.event_name, s.position FROM campaign_version_steps s
    WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version
      AND s.position > OLD.progress AND s.position <= NEW.progress AND NEW.version IS NOT DISTINCT FROM OLD.version
    ORDER BY s.position
  LOOP
    PERFORM webhook_record(NEW.tenant_id, 'quest.progressed', NEW.id, jsonb_build_object('step', step, 'done', done));
  END LOOP;
  IF OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.completed', NEW.id, '{}');
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER invitations_webhooks_insert AFTER INSERT ON invitations
  FOR EACH ROW EXECUTE FUNCTION invitations_webhooks();
CREATE TRIGGER invitations_webhooks_update AFTER UPDATE ON invitations
  FOR EACH ROW WHEN (OLD.guest_id IS DISTINCT FROM NEW.guest_id OR OLD.progress IS DISTINCT FROM NEW.progress
                     OR OLD.completed_at IS DISTINCT FROM NEW.completed_at)
  EXECUTE FUNCTION invitations_webhooks();

-- Reward tokens: issued, then redeemed, voided or expired.
-- +goose StatementBegin
CREATE FUNCTION reward_tokens_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM webhook_record(NEW.tenant_id, 'reward.' || NEW.status, NEW.id, '{}');
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reward_tokens_webhooks_insert AFTER INSERT ON reward_tokens
  FOR EACH ROW EXECUTE FUNCTION reward_tokens_webhooks();
CREATE TRIGGER reward_tokens_webhooks_update AFTER UPDATE ON reward_tokens
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION reward_tokens_webhooks();

-- A raffle drawn.
-- +goose StatementBegin
CREATE FUNCTION raffle_draws_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM webhook_record(NEW.tenant_id, 'raffle.drawn', NEW.id, '{}');
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER raffle_draws_webhooks AFTER INSERT ON raffle_draws
  FOR EACH ROW EXECUTE FUNCTION raffle_draws_webhooks();

-- A campaign version published; the message names the campaign by slug, as
-- the API does, and the version in its facts.
-- +goose StatementBegin
CREATE FUNCTION campaign_versions_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  slug text;
BEGIN
  SELECT c.slug INTO slug FROM campaigns c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.campaign_id;
  PERFORM webhook_record(NEW.tenant_id, 'campaign.published', slug, jsonb_build_object('version', NEW.version));
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER campaign_versions_webhooks AFTER UPDATE ON campaign_versions
  FOR EACH ROW WHEN (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION campaign_versions_webhooks();

-- The referee records the outbox; what it reads and writes for that.
-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner:
-- granted for that statement only, as 00012_referee.sql does.
GRANT CREATE ON SCHEMA public TO tandem_referee;
GRANT SELECT ON webhook_endpoints TO tandem_referee;
GRANT SELECT, INSERT ON webhook_messages, webhook_deliveries TO tandem_referee;
ALTER FUNCTION webhook_record(uuid, text, text, jsonb) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION webhook_record(uuid, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_record(uuid, text, text, jsonb) TO tandem_app;
REVOKE CREATE ON SCHEMA public FROM tandem_referee;
-- webhook_queue runs as its caller: the referee (above) or tandem_app
-- (test messages and replays), both granted INSERT on river_job by
-- migrations/always/river.sql.
REVOKE ALL ON FUNCTION webhook_queue(uuid, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_queue(uuid, text[]) TO tandem_app, tandem_referee;

-- +goose Down
DROP TRIGGER campaign_versions_webhooks ON campaign_versions;
DROP FUNCTION campaign_versions_webhooks();
DROP TRIGGER raffle_draws_webhooks ON raffle_draws;
DROP FUNCTION raffle_draws_webhooks();
DROP TRIGGER reward_tokens_webhooks_update ON reward_tokens;
DROP TRIGGER reward_tokens_webhooks_insert ON reward_tokens;
DROP FUNCTION reward_tokens_webhooks();
DROP TRIGGER invitations_webhooks_update ON invitations;
DROP TRIGGER invitations_webhooks_insert ON invitations;
DROP FUNCTION invitations_webhooks();
DROP FUNCTION webhook_record(uuid, text, text, jsonb);
DROP FUNCTION webhook_queue(uuid, text[]);
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_messages;
DROP FUNCTION webhook_messages_guard();
DROP TABLE webhook_endpoints;
