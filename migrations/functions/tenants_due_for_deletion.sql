-- The tenants whose grace period is over at p_now (or the database's
-- clock, if earlier: purge_tenant judges by it), for the purge job's
-- sweep, which then enters each one.
CREATE OR REPLACE FUNCTION tenants_due_for_deletion(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN QUERY
  SELECT t.id FROM tenants t WHERE t.deletion_due_at <= least(p_now, now()) ORDER BY t.deletion_due_at, t.id;
END
$$;

ALTER FUNCTION tenants_due_for_deletion(timestamp with time zone) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION tenants_due_for_deletion(timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenants_due_for_deletion(timestamp with time zone) TO tandem_app;
