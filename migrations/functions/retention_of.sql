-- A tenant's retention periods: its retention_settings row, or the
-- defaults when it never saved one (the one place they are written).
-- updated_at is NULL for the defaults. Runs as its caller: the app reads
-- its own tenant's periods, and the retention functions (tandem_referee)
-- read the period they enforce here rather than take it from their caller.
CREATE OR REPLACE FUNCTION retention_of(p_tenant uuid)
RETURNS TABLE (event_properties_days integer, idempotency_hours integer, webhook_days integer, updated_at timestamptz)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT s.event_properties_days, s.idempotency_hours, s.webhook_days, s.updated_at
  FROM retention_settings s WHERE s.tenant_id = p_tenant;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 365, 24, 30, NULL::timestamptz;
  END IF;
END
$$;

REVOKE ALL ON FUNCTION retention_of(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_of(uuid) TO tandem_app, tandem_referee;
