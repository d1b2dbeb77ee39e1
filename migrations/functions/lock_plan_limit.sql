-- Refuses with the constraint name plan_limit_<limit>, which models maps to
-- the 402 plan_limit_reached naming the limit. Counting happens under a lock
-- per tenant and limit, so two requests at the limit cannot both pass.
CREATE OR REPLACE FUNCTION lock_plan_limit(p_tenant uuid, p_limit text) RETURNS void
LANGUAGE sql VOLATILE SET search_path = public, pg_temp
AS $$ SELECT pg_advisory_xact_lock(hashtextextended('plan_limit:' || p_limit || ':' || p_tenant::text, 0)) $$;
