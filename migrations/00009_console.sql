-- The admin console: login throttling shared by every web machine, team
-- invitations, and the rule that a tenant always keeps an owner.

-- +goose Up

-- Failed console logins, counted per account (e-mail) and per client address,
-- in the database so that every web machine sees the same counts.
--
-- Not a tenant table, on purpose, and so without tenant_id and RLS: a login is
-- throttled before anyone knows which tenant it is for (an e-mail may belong to
-- several tenants, or to none, and an address to anyone). The key is 'email:'
-- or 'addr:' followed by the hex SHA-256 of the normalized value, so the table
-- holds no e-mail address and no IP address. On Citus it stays a local table
-- of the coordinator.
CREATE TABLE login_attempts (
  key          text PRIMARY KEY CHECK (key ~ '^(email|addr):[0-9a-f]{64}$'),
  -- The first failure of the current window; the application decides how
  -- long a window lasts and starts a new one after it.
  window_start timestamptz NOT NULL,
  failures     integer NOT NULL CHECK (failures > 0)
);
-- For the sweep that deletes finished windows.
CREATE INDEX login_attempts_window_start_idx ON login_attempts (window_start);
GRANT SELECT, INSERT, UPDATE, DELETE ON login_attempts TO tandem_app;

-- An owner's invitation for someone to join the team with a role. The join
-- link carries a random token; only its SHA-256 is stored, so the table
-- cannot hand out working links. An invitation is used once: accepted or
-- revoked, it never changes again (member_invitations_guard).
CREATE TABLE member_invitations (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id          text NOT NULL DEFAULT new_id('minv'),
  email       text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$' AND length(email) <= 254),
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'marketer', 'viewer')),
  token_hash  bytea NOT NULL CHECK (length(token_hash) = 32),
  -- Who sent it; kept (as NULL) when that member is later removed.
  invited_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, invited_by) REFERENCES members (tenant_id, id) ON DELETE SET NULL (invited_by),
  CHECK (expires_at > created_at),
  CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
-- The join link finds its row by token before the tenant is known.
CREATE INDEX member_invitations_token_hash_idx ON member_invitations (token_hash);
SELECT enable_tenant_rls('member_invitations');
GRANT SELECT, INSERT, UPDATE (accepted_at, revoked_at) ON member_invitations TO tandem_app;

-- The join link's lookup before the tenant is known, in the pattern of
-- 00002_tenancy.sql: SECURITY DEFINER, owned by tandem_definer, pinned
-- search_path, returning only which invitation of which tenant the token's
-- hash names. Everything else about it is read inside that tenant's
-- transaction, under RLS.
CREATE POLICY definer_lookup ON member_invitations FOR SELECT TO tandem_definer USING (true);
GRANT SELECT (tenant_id, id, token_hash) ON member_invitations TO tandem_definer;
