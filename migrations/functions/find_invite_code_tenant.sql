-- The tenant of a public invite code (case-insensitive), or NULL; NULL
-- too while the tenant's account is scheduled for deletion, so that its
-- invite pages stop with its API.
CREATE OR REPLACE FUNCTION find_invite_code_tenant(p_code text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT c.tenant_id FROM invite_codes c JOIN tenants t ON t.id = c.tenant_id
       WHERE c.code = upper(p_code) AND t.deletion_due_at IS NULL $$;

ALTER FUNCTION find_invite_code_tenant(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_invite_code_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_invite_code_tenant(text) TO tandem_app;
