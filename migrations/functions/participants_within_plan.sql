-- Participants: once per statement (ingestion creates participants in
-- batches), after the rows are in, counting at most max + 1 rows: a plan with
-- a participant limit is a small tenant, and an unlimited one counts nothing.
CREATE OR REPLACE FUNCTION participants_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  t uuid;
  m integer;
BEGIN
  FOR t IN SELECT DISTINCT n.tenant_id FROM new_participants n LOOP
    m := plan_limit(t, 'participants');
    CONTINUE WHEN m IS NULL;
    PERFORM lock_plan_limit(t, 'participants');
    IF (SELECT count(*) FROM (SELECT 1 FROM participants p WHERE p.tenant_id = t LIMIT m + 1) s) > m THEN
      PERFORM plan_limit_reached('participants', m);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
