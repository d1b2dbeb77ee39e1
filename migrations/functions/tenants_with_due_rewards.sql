-- The reward expiry sweep's lookup, but for tenants whose account deletion
-- is scheduled (list_tenant_ids says why).
-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION tenants_with_due_rewards(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT DISTINCT r.tenant_id FROM reward_tokens r JOIN tenants t ON t.id = r.tenant_id AND t.deletion_due_at IS NULL
   WHERE r.status = 'issued' AND r.expires_at <= p_now;
END
$$;

ALTER FUNCTION tenants_with_due_rewards(timestamp with time zone) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION tenants_with_due_rewards(timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenants_with_due_rewards(timestamp with time zone) TO tandem_app;
