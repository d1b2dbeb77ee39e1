-- Enables and forces row-level security with the one tenant policy every
-- tenant table shares: rows are visible and writable only inside a
-- transaction whose app.tenant_id names their tenant. The setting is read
-- in a subquery, once a statement (00079), except on a database with
-- Citus: Citus refuses subqueries in the policies of the tables it holds,
-- and holds a new table from its first foreign key to a reference table
-- (always/citus.sql turns a table back to the bare expression before it
-- places it, for a table made before Citus was installed).
CREATE OR REPLACE FUNCTION enable_tenant_rls(t regclass) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  tenant constant text := CASE WHEN EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')
    THEN $e$NULLIF(current_setting('app.tenant_id', true), '')::uuid$e$
    ELSE $e$(SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid AS app_tenant_id)$e$ END;
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (tenant_id = %s) WITH CHECK (tenant_id = %s)', t, tenant, tenant);
END
$$;
