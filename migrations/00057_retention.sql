-- Retention: what a tenant keeps, and for how long, before the schema's
-- narrow paths blank or delete it (docs/security.md, "Personal data").
--
-- The periods are the tenant's (retention_settings; no row is the
-- defaults of retention_of). The deleting and blanking is done only by
-- the retention_* functions, SECURITY DEFINER and owned by tandem_referee,
-- each of which reads the tenant's period itself and judges by the
-- database's clock (the caller may ask for less, never more): tandem_app
-- loses the DELETE it held on idempotency replays and widget tokens, and
-- never had one on webhook bodies or attempts.

-- +goose Up
-- A tenant's periods, each bounded so that a typo cannot keep data for a
-- century or delete it before it served its purpose: idempotency replays
-- serve retries (at least an hour), webhook bodies the retry schedule
-- (the functions also skip a message still being delivered).
CREATE TABLE retention_settings (
  tenant_id             uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  event_properties_days integer NOT NULL CONSTRAINT retention_event_properties_days CHECK (event_properties_days BETWEEN 1 AND 3650),
  idempotency_hours     integer NOT NULL CONSTRAINT retention_idempotency_hours CHECK (idempotency_hours BETWEEN 1 AND 720),
  webhook_days          integer NOT NULL CONSTRAINT retention_webhook_days CHECK (webhook_days BETWEEN 1 AND 3650),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
SELECT enable_tenant_rls('retention_settings');
GRANT SELECT, INSERT, UPDATE ON retention_settings TO tandem_app;

-- What retention looks for, oldest first. A blanked message (no body, no
-- snapshot, no facts) leaves its index, so a run never rescans what an
-- earlier one blanked; both are appended at their right edge.
CREATE INDEX api_idempotency_created ON api_idempotency (tenant_id, created_at);
CREATE INDEX webhook_messages_unblanked ON webhook_messages (tenant_id, created_at)
  WHERE payload IS NOT NULL OR snapshot IS NOT NULL OR facts <> '{}';
-- The same for event properties (erase_event_properties takes the oldest
-- received first): an event without properties never enters it, and a
-- blanked one leaves it; ingestion appends at its right edge.
CREATE INDEX events_properties_unblanked ON events (tenant_id, received_at)
  WHERE properties <> '{}' AND name <> 'invitation_claimed';

-- Only the retention functions delete replays and widget tokens.
REVOKE DELETE ON api_idempotency, widget_tokens FROM tandem_app;

-- What the retention functions (owned by tandem_referee) read and write;
-- forced RLS binds them to the transaction's tenant like any caller. A
-- message's body, snapshot and facts may only be blanked, all three
-- together, by the referee (webhook_messages_guard).
GRANT SELECT ON retention_settings TO tandem_referee;
GRANT SELECT, DELETE ON api_idempotency, widget_tokens, webhook_attempts TO tandem_referee;
GRANT SELECT ON webhook_deliveries TO tandem_referee;
GRANT UPDATE (payload, snapshot, facts) ON webhook_messages TO tandem_referee;
