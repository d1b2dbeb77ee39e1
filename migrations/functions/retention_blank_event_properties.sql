-- Retention of event properties: blanks the properties of at most p_limit
-- of the transaction's tenant's events received more than its
-- event_properties_days before least(p_now, now()) — the caller may ask
-- for less, never more — and says how many, through erasure's one path
-- through the append-only rule (erase_event_properties, as tandem_eraser:
-- the properties only, never the name, time or participant).
CREATE OR REPLACE FUNCTION retention_blank_event_properties(p_now timestamptz, p_limit integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  cutoff timestamptz;
BEGIN
  IF current_tenant IS NULL THEN
    RETURN 0;
  END IF;
  SELECT least(p_now, now()) - make_interval(days => r.event_properties_days) INTO cutoff FROM retention_of(current_tenant) r;
  RETURN erase_event_properties(current_tenant, cutoff, least(p_limit, 10000));
END
$$;

ALTER FUNCTION retention_blank_event_properties(timestamp with time zone, integer) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION retention_blank_event_properties(timestamp with time zone, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_blank_event_properties(timestamp with time zone, integer) TO tandem_app;
