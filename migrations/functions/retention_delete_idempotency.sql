-- Retention of idempotency replays: deletes at most p_limit of the
-- transaction's tenant's stored responses older than its
-- idempotency_hours at least(p_now, now()) — the caller may ask for less,
-- never more — oldest first, and says how many. The only path that
-- deletes them (tandem_app holds no DELETE on api_idempotency). Nothing
-- holds a replay's row past its request, so the delete waits for none.
CREATE OR REPLACE FUNCTION retention_delete_idempotency(p_now timestamptz, p_limit integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  cutoff timestamptz;
  n integer;
BEGIN
  SELECT least(p_now, now()) - make_interval(hours => r.idempotency_hours) INTO cutoff FROM retention_of(current_tenant) r;
  DELETE FROM api_idempotency a
  WHERE a.tenant_id = current_tenant AND a.key IN (
    SELECT d.key FROM api_idempotency d
    WHERE d.tenant_id = current_tenant AND d.created_at < cutoff
    ORDER BY d.created_at LIMIT least(p_limit, 10000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

ALTER FUNCTION retention_delete_idempotency(timestamp with time zone, integer) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION retention_delete_idempotency(timestamp with time zone, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_delete_idempotency(timestamp with time zone, integer) TO tandem_app;
