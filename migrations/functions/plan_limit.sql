-- The limit of the tenant's plan named p_limit; NULL when the tenant is
-- unmetered or its plan has no such limit.
-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION plan_limit(p_tenant uuid, p_limit text) RETURNS integer
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN (SELECT CASE p_limit
    WHEN 'active_campaigns' THEN p.max_active_campaigns
    WHEN 'participants' THEN p.max_participants
    WHEN 'events_per_month' THEN p.max_events_per_month
    WHEN 'team_seats' THEN p.max_team_seats
    WHEN 'webhook_endpoints' THEN p.max_webhook_endpoints END
  FROM tenants t JOIN plans p ON p.id = t.plan
  WHERE t.id = p_tenant);
END
$$;
