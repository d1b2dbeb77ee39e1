-- Events, and the quest engine that judges invitations from them.

-- +goose Up
-- rule 4: events are append-only; an idempotency key is stored once per tenant.
CREATE TABLE events (
  tenant_id       uuid NOT NULL DEFAULT app_tenant_id(),
  id              text NOT NULL DEFAULT new_id('evt'),
  participant_id  text NOT NULL,
  name            text NOT NULL,
  idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  received_at     timestamptz NOT NULL DEFAULT now(),
  properties      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT event_idempotency_key_once UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
  CONSTRAINT event_defined FOREIGN KEY (tenant_id, name) REFERENCES event_definitions (tenant_id, name)
);
-- Quest progress asks "has this guest ever sent this event?".
CREATE INDEX events_by_participant_name ON events (tenant_id, participant_id, name);
SELECT enable_tenant_rls('events');
GRANT SELECT, INSERT ON events TO tandem_app;
