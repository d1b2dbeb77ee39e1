-- Every tenant id: the one door for cross-tenant work (job workers, billing
-- webhooks), which then enters each tenant through the normal transaction.
CREATE OR REPLACE FUNCTION list_tenant_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT t.id FROM tenants t ORDER BY t.id $$;

ALTER FUNCTION list_tenant_ids() OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION list_tenant_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION list_tenant_ids() TO tandem_app;
