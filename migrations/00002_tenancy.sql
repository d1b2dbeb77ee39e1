-- Tenants, their console members and API keys, the lookups that run before a
-- tenant is known, and the console's session store.

-- +goose Up
CREATE TABLE tenants (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The root table has no tenant_id column: its own id is the tenant.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE (name) ON tenants TO tandem_app;

CREATE TABLE members (
  tenant_id     uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id            text NOT NULL DEFAULT new_id('mem'),
  email         text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$' AND length(email) <= 254),
  -- Only argon2id hashes in PHC form are accepted: no plain or weak hashes.
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'marketer', 'viewer')),
  display_name  text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
);
SELECT enable_tenant_rls('members');
GRANT SELECT, INSERT, UPDATE, DELETE ON members TO tandem_app;

CREATE TABLE api_keys (
  tenant_id       uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id              text NOT NULL DEFAULT new_id('key'),
  kind            text NOT NULL CHECK (kind IN ('secret', 'publishable')),
  -- The non-secret part of the key that finds its row before the tenant is
  -- known; the whole key is checked against secret_hash.
  lookup          text NOT NULL CHECK (lookup ~ '^[a-z2-7]{16}$'),
  secret_hash     text NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
  name            text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  -- Publishable keys answer only browsers from these origins.
  allowed_origins text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, lookup)
);
CREATE INDEX api_keys_lookup ON api_keys (lookup);
SELECT enable_tenant_rls('api_keys');
GRANT SELECT, INSERT, UPDATE (name, allowed_origins, revoked_at) ON api_keys TO tandem_app;

-- The console's sessions (scs). Not tenant data: a session row only holds a
-- token, an expiry and the encoded session, whose member id is checked again
-- inside the tenant transaction.
CREATE TABLE sessions (
  token  text PRIMARY KEY,
  data   bytea NOT NULL,
  expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO tandem_app;

-- Lookups before the tenant is known. Each is SECURITY DEFINER, owned by
-- tandem_definer, with a pinned search_path, returning only what its caller
-- needs; tandem_definer may read these tables through SELECT policies of its
-- own and nothing else.
CREATE POLICY definer_lookup ON tenants FOR SELECT TO tandem_definer USING (true);
CREATE POLICY definer_lookup ON members FOR SELECT TO tandem_definer USING (true);
CREATE POLICY definer_lookup ON api_keys FOR SELECT TO tandem_definer USING (true);
GRANT SELECT (id, slug) ON tenants TO tandem_definer;
GRANT SELECT (tenant_id, id, email, password_hash) ON members TO tandem_definer;
GRANT SELECT (tenant_id, id, kind, lookup, secret_hash, allowed_origins, revoked_at) ON api_keys TO tandem_definer;
