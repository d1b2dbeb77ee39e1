-- Enables and forces row-level security with the one tenant policy every
-- tenant table shares: rows are visible and writable only inside a
-- transaction whose app.tenant_id names their tenant. The setting is read
-- in a subquery, once a statement (00079); always/citus.sql turns it back to
-- the bare expression on a table Citus is to hold, which refuses subqueries
-- in policies.
CREATE OR REPLACE FUNCTION enable_tenant_rls(t regclass) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  EXECUTE format($p$CREATE POLICY tenant_isolation ON %s
      USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid AS app_tenant_id))
      WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid AS app_tenant_id))$p$, t);
END
$$;
