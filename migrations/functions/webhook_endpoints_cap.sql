-- The endpoints a tenant may have: its plan's cap, or the largest plan's
-- when it is unmetered.
-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION webhook_endpoints_cap(p_tenant uuid) RETURNS integer
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN (SELECT coalesce(plan_limit(p_tenant, 'webhook_endpoints'), (SELECT max(max_webhook_endpoints) FROM plans)));
END
$$;
