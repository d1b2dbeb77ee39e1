-- The embeddable widget: the origins a tenant lets it run on, and the
-- short-lived participant tokens its backend mints for it.

-- +goose Up
-- An exact browser origin: scheme and host, an optional port, nothing else
-- (no path, no trailing slash, no user, lower case), as a browser sends it
-- in the Origin header, so that the widget can compare them as strings.
-- +goose StatementBegin
CREATE FUNCTION widget_origins_valid(p_origins text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp
AS $$
  SELECT cardinality(p_origins) <= 20
     AND coalesce(bool_and(o ~ '^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$'), true)
     AND count(DISTINCT o) = count(*)
  FROM unnest(p_origins) o
$$;
-- +goose StatementEnd

-- One row per tenant: the origins the widget's API answers (CORS). No row
-- is no origin at all: the widget works nowhere until the tenant says where.
CREATE TABLE widget_settings (
  tenant_id       uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  allowed_origins text[] NOT NULL DEFAULT '{}' CONSTRAINT widget_origins CHECK (widget_origins_valid(allowed_origins)),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
SELECT enable_tenant_rls('widget_settings');
GRANT SELECT, INSERT, UPDATE (allowed_origins, updated_at) ON widget_settings TO tandem_app;

-- A participant token: the widget acts as one participant (as host) in one
-- campaign, for at most 24 hours, and only while the secret key that minted
-- it is live. The token itself is 256 random bits shown once; only its
-- SHA-256 is stored (a slow hash buys nothing against that much entropy).
-- Tokens never change: they expire, or their key is revoked.
CREATE TABLE widget_tokens (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id             text NOT NULL DEFAULT new_id('wtk'),
  token_hash     bytea NOT NULL CHECK (length(token_hash) = 32),
  key_id         text NOT NULL,
  participant_id text NOT NULL,
  campaign_id    text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, key_id) REFERENCES api_keys (tenant_id, id),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  -- At most a day: a leaked token is worth little for long.
  CONSTRAINT widget_token_lifetime CHECK (expires_at > created_at AND expires_at <= created_at + interval '24 hours')
);
-- The widget finds a token by its hash before the tenant is known.
CREATE INDEX widget_tokens_token_hash_idx ON widget_tokens (token_hash);
CREATE INDEX widget_tokens_expires_at_idx ON widget_tokens (tenant_id, expires_at);
SELECT enable_tenant_rls('widget_tokens');
-- Expired tokens may be deleted; none is ever changed.
GRANT SELECT, INSERT, DELETE ON widget_tokens TO tandem_app;

-- The widget's lookups before the tenant is known, in the pattern of
-- 00002_tenancy.sql: SECURITY DEFINER, owned by tandem_definer, pinned
-- search_path, returning only what the widget needs.
CREATE POLICY definer_lookup ON widget_tokens FOR SELECT TO tandem_definer USING (true);
CREATE POLICY definer_lookup ON widget_settings FOR SELECT TO tandem_definer USING (true);
GRANT SELECT (tenant_id, id, token_hash, key_id, participant_id, campaign_id, expires_at) ON widget_tokens TO tandem_definer;
GRANT SELECT (tenant_id, allowed_origins) ON widget_settings TO tandem_definer;
CREATE INDEX widget_settings_origins_idx ON widget_settings USING gin (allowed_origins);
