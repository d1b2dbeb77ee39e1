-- Event name locks, keyed by tenant and name, in name order (the same in
-- every transaction, so two never wait for each other in a circle).
-- ingest_events takes its shared locks with the same keys in the same
-- order, inline: keep the two alike.
CREATE OR REPLACE FUNCTION lock_event_names(p_tenant_id uuid, p_names text[], p_exclusive boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  prefix text := 'event_name:' || p_tenant_id::text || '/';
BEGIN
  IF p_tenant_id IS NULL THEN
    RAISE EXCEPTION 'lock_event_names: no tenant' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(prefix || n.name, 0))
    FROM (SELECT DISTINCT u.name FROM unnest(p_names) AS u(name)) n ORDER BY n.name;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(prefix || n.name, 0))
    FROM (SELECT DISTINCT u.name FROM unnest(p_names) AS u(name)) n ORDER BY n.name;
  END IF;
END
$$;
