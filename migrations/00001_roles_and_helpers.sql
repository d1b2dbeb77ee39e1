-- Roles and the small helpers every later migration leans on.
--
-- tandem_app      runs every tenant query. It owns nothing, is no superuser and
--                 cannot bypass RLS, so forced row-level security binds it.
-- tandem_definer  owns the few SECURITY DEFINER lookups that must run before a
--                 tenant is known (an API key, a login e-mail, an invite code).
--                 Nobody logs in as it; its reach is a handful of SELECT policies.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tandem_app') THEN
    CREATE ROLE tandem_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tandem_definer') THEN
    CREATE ROLE tandem_definer NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
-- +goose StatementEnd

-- The migrating user must be able to SET LOCAL ROLE tandem_app (the one-URL
-- deployment) and to hand lookup functions over to tandem_definer.
GRANT tandem_app TO CURRENT_USER;
GRANT tandem_definer TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tandem_app, tandem_definer;
-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner.
GRANT CREATE ON SCHEMA public TO tandem_definer;

-- The tenant of the current transaction, or NULL when none is set: policies
-- compare against it, so "no tenant" matches no row instead of failing.
-- +goose StatementBegin
CREATE FUNCTION app_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
-- +goose StatementEnd

-- Public identifiers: a type prefix and 128 random bits, never a sequence.
-- +goose StatementBegin
CREATE FUNCTION new_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$ SELECT prefix || '_' || replace(gen_random_uuid()::text, '-', '') $$;
-- +goose StatementEnd

-- Invite and referrer codes: 8 symbols from a 32-symbol alphabet without
-- 0/O/1/I (40 random bits). Only the fully random bytes of a v4 UUID are used,
-- and 256 is a multiple of 32, so every symbol is equally likely.
-- +goose StatementBegin
CREATE FUNCTION new_code() RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
  SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', get_byte(r.b, i.pos) % 32 + 1, 1), '' ORDER BY i.n)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) r,
       unnest(ARRAY[0, 1, 2, 3, 4, 5, 9, 10]) WITH ORDINALITY AS i(pos, n)
$$;
-- +goose StatementEnd

-- Enables and forces row-level security with the one tenant policy every
-- tenant table shares: rows are visible and writable only inside a
-- transaction whose app.tenant_id names their tenant.
-- +goose StatementBegin
CREATE FUNCTION enable_tenant_rls(t regclass) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  EXECUTE format($p$CREATE POLICY tenant_isolation ON %s
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
END
$$;
-- +goose StatementEnd

-- Rejects UPDATE and DELETE on append-only tables (events, audit log, raffle
-- results). The constraint name tells the application which rule it broke.
-- +goose StatementBegin
CREATE FUNCTION forbid_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', TABLE = TG_TABLE_NAME;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION forbid_change();
DROP FUNCTION enable_tenant_rls(regclass);
DROP FUNCTION new_code();
DROP FUNCTION new_id(text);
DROP FUNCTION app_tenant_id();
REVOKE CREATE ON SCHEMA public FROM tandem_definer;
