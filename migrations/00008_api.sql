-- What the public API keeps between requests: idempotent replays and the
-- shared rate-limit counters.

-- +goose Up
-- A POST with an Idempotency-Key header is answered once and replayed after
-- (Stripe's rules): the first successful response is stored with a hash of
-- the request, in the same transaction as the work it reports.
CREATE TABLE api_idempotency (
  tenant_id       uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash    bytea NOT NULL CHECK (length(request_hash) = 32),
  response_status integer CHECK (response_status BETWEEN 200 AND 299),
  response_body   bytea,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
SELECT enable_tenant_rls('api_idempotency');
-- Replays are kept at least 24 hours; older rows may be deleted.
GRANT SELECT, INSERT, UPDATE (response_status, response_body), DELETE ON api_idempotency TO tandem_app;

-- Requests per API key per minute, summed over every web machine: each
-- machine adds what it counted since its last flush.
CREATE TABLE api_rate_limits (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  key_id       text NOT NULL,
  window_start timestamptz NOT NULL,
  requests     integer NOT NULL CHECK (requests >= 0),
  PRIMARY KEY (tenant_id, key_id, window_start),
  FOREIGN KEY (tenant_id, key_id) REFERENCES api_keys (tenant_id, id)
);
SELECT enable_tenant_rls('api_rate_limits');
GRANT SELECT, INSERT, UPDATE, DELETE ON api_rate_limits TO tandem_app;
