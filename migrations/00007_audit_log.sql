-- The append-only record of every admin change.

-- +goose Up
CREATE TABLE audit_log (
  tenant_id uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id        bigint GENERATED ALWAYS AS IDENTITY,
  -- Who: "member:mem_…", "key:key_…" or "system".
  actor     text NOT NULL CHECK (actor ~ '^(member:mem_|key:key_)[0-9a-f]{32}$|^(system|cli)$'),
  action    text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
  subject   text NOT NULL,
  before    jsonb,
  after     jsonb,
  at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('audit_log');
GRANT SELECT, INSERT ON audit_log TO tandem_app;
