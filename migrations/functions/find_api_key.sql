-- The live key rows for a lookup string (normally one), each with when its
-- tenant's account is to be deleted, if it is: a scheduled deletion
-- refuses the key (tenants.Verifier, account_deletion_scheduled), said
-- only to whoever holds the whole key.
-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION find_api_key(p_lookup text)
RETURNS TABLE (tenant_id uuid, key_id text, kind text, secret_hash text, allowed_origins text[],
               deletion_due_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT k.tenant_id, k.id, k.kind, k.secret_hash, k.allowed_origins, t.deletion_due_at
    FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
    WHERE k.lookup = p_lookup AND k.revoked_at IS NULL;
END
$$;

ALTER FUNCTION find_api_key(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_api_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_api_key(text) TO tandem_app;
