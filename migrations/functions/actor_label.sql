-- A person-readable name for an audit actor ("member:mem_…", "key:key_…",
-- "cli", "system"): the member's e-mail or the key's name; NULL for NULL,
-- so callers can coalesce. SECURITY INVOKER, so it reads members and
-- api_keys under the caller's row-level security: inside a tenant
-- transaction it can only name that tenant's own.
-- PL/pgSQL with the tenant read into a value: Citus cannot plan a
-- distributed query that uses an SQL function's parameters, nor route one
-- by a function's result.
CREATE OR REPLACE FUNCTION actor_label(p_actor text) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id();
BEGIN
  RETURN CASE
    WHEN p_actor LIKE 'member:%' THEN
      coalesce((SELECT m.email FROM members m WHERE m.tenant_id = current_tenant AND m.id = substr(p_actor, 8)),
               'a former member')
    WHEN p_actor LIKE 'key:%' THEN
      coalesce((SELECT CASE WHEN k.name <> '' THEN k.name ELSE k.kind || ' key' END
                FROM api_keys k WHERE k.tenant_id = current_tenant AND k.id = substr(p_actor, 5)),
               'a deleted API key')
    WHEN p_actor = 'cli' THEN 'command line'
    ELSE 'Tandem'
  END;
END
$$;
