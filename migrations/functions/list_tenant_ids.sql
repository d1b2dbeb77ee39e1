-- Every tenant id: the one door for cross-tenant work (job workers, billing
-- webhooks), which then enters each tenant through the normal transaction.
-- A tenant whose account deletion is scheduled is left out: no job is
-- queued for it that could outlive its purge (a job's row names its
-- tenant), and its undo brings it back.
CREATE OR REPLACE FUNCTION list_tenant_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT t.id FROM tenants t WHERE t.deletion_due_at IS NULL ORDER BY t.id $$;

ALTER FUNCTION list_tenant_ids() OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION list_tenant_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION list_tenant_ids() TO tandem_app;
