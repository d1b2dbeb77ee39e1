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

-- Only a live secret key mints tokens: a publishable key is public, and a
-- revoked key mints nothing, whatever the caller checked before.
-- +goose StatementBegin
CREATE FUNCTION widget_tokens_minted_by_live_secret() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.tenant_id = NEW.tenant_id AND k.id = NEW.key_id
                 AND k.kind = 'secret' AND k.revoked_at IS NULL) THEN
    RAISE EXCEPTION 'widget tokens are minted by a live secret key, not %', NEW.key_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'widget_token_key', TABLE = 'widget_tokens';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER widget_tokens_minted_by_live_secret BEFORE INSERT ON widget_tokens
  FOR EACH ROW EXECUTE FUNCTION widget_tokens_minted_by_live_secret();

-- The widget's lookups before the tenant is known, in the pattern of
-- 00002_tenancy.sql: SECURITY DEFINER, owned by tandem_definer, pinned
-- search_path, returning only what the widget needs.
CREATE POLICY definer_lookup ON widget_tokens FOR SELECT TO tandem_definer USING (true);
CREATE POLICY definer_lookup ON widget_settings FOR SELECT TO tandem_definer USING (true);
GRANT SELECT (tenant_id, id, token_hash, key_id, participant_id, campaign_id, expires_at) ON widget_tokens TO tandem_definer;
GRANT SELECT (tenant_id, allowed_origins) ON widget_settings TO tandem_definer;

-- The token a hash names, with its tenant's allowed origins, when the key
-- that minted it is live. An expired token is still returned (with its
-- expiry), so the widget can say "expired" rather than "invalid"; a token of
-- a revoked key is not returned at all.
-- +goose StatementBegin
CREATE FUNCTION find_widget_token(p_token_hash bytea)
RETURNS TABLE (tenant_id uuid, token_id text, participant_id text, campaign_id text,
               expires_at timestamptz, allowed_origins text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT t.tenant_id, t.id, t.participant_id, t.campaign_id, t.expires_at, coalesce(s.allowed_origins, '{}')
  FROM widget_tokens t
  JOIN api_keys k ON k.tenant_id = t.tenant_id AND k.id = t.key_id AND k.revoked_at IS NULL
  LEFT JOIN widget_settings s ON s.tenant_id = t.tenant_id
  WHERE t.token_hash = p_token_hash
$$;
-- +goose StatementEnd

-- Whether any tenant lets the widget run on an origin: a CORS preflight
-- carries no token, so it can only be told whether the origin is a widget
-- origin at all; the request that follows is held to its own tenant's list.
-- +goose StatementBegin
CREATE FUNCTION widget_origin_known(p_origin text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT EXISTS (SELECT 1 FROM widget_settings s WHERE s.allowed_origins @> ARRAY[p_origin]) $$;
-- +goose StatementEnd
CREATE INDEX widget_settings_origins_idx ON widget_settings USING gin (allowed_origins);

ALTER FUNCTION find_widget_token(bytea) OWNER TO tandem_definer;
ALTER FUNCTION widget_origin_known(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_widget_token(bytea), widget_origin_known(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_widget_token(bytea), widget_origin_known(text) TO tandem_app;

-- +goose Down
DROP FUNCTION widget_origin_known(text);
DROP FUNCTION find_widget_token(bytea);
DROP TABLE widget_tokens;
DROP FUNCTION widget_tokens_minted_by_live_secret();
DROP TABLE widget_settings;
DROP FUNCTION widget_origins_valid(text[]);
