CREATE OR REPLACE FUNCTION tenants_with_due_rewards(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT DISTINCT r.tenant_id FROM reward_tokens r WHERE r.status = 'issued' AND r.expires_at <= p_now $$;

ALTER FUNCTION tenants_with_due_rewards(timestamp with time zone) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION tenants_with_due_rewards(timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenants_with_due_rewards(timestamp with time zone) TO tandem_app;
