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
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
-- +goose StatementEnd

-- Public identifiers: a type prefix and 128 random bits, never a sequence.
-- +goose StatementBegin
CREATE FUNCTION new_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT prefix || '_' || replace(gen_random_uuid()::text, '-', '') $$;
-- +goose StatementEnd

-- Enables and forces row-level security with the one tenant policy every
-- tenant table shares: rows are visible and writable only inside a
-- transaction whose app.tenant_id names their tenant.
-- +goose StatementBegin
CREATE FUNCTION enable_tenant_rls(t regclass) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
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
