-- Retention of widget tokens: deletes at most p_limit of the transaction's
-- tenant's tokens expired at least(p_now, now()) — an expired token
-- authorises nothing, so it goes at once — and says how many. The only
-- path that deletes them (tandem_app holds no DELETE on widget_tokens).
CREATE OR REPLACE FUNCTION retention_delete_widget_tokens(p_now timestamptz, p_limit integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  n integer;
BEGIN
  DELETE FROM widget_tokens w
  WHERE w.tenant_id = current_tenant AND w.id IN (
    SELECT d.id FROM widget_tokens d
    WHERE d.tenant_id = current_tenant AND d.expires_at <= least(p_now, now())
    ORDER BY d.expires_at LIMIT least(p_limit, 10000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

ALTER FUNCTION retention_delete_widget_tokens(timestamp with time zone, integer) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION retention_delete_widget_tokens(timestamp with time zone, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_delete_widget_tokens(timestamp with time zone, integer) TO tandem_app;
