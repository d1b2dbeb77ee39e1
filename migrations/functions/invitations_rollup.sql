-- An invitation was created, or its claim, progress or completion changed
-- (TG_OP tells which; OLD is the row before this one change, NEW after it):
-- add the difference to the campaign's counters.
--   created     +1 on insert, on the day of created_at
--   claimed     +1 when guest_id goes from NULL to set (or is set on
--               insert: a referrer-code claim), on the day of claimed_at
--   completed   +1 when completed_at goes from NULL to set, on its day
--   reached     reached_delta(old progress, new progress); an insert starts
--               from 0 (invitations_before_insert forces progress 0)
-- The schema never takes a claim or a completion back
-- (invitation_already_claimed, invitation_completed), so these are the only
-- moves; progress may move both ways (a migration re-judges it).
CREATE OR REPLACE FUNCTION invitations_rollup() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  s smallint := rollup_shard();
  was_claimed boolean := TG_OP = 'UPDATE' AND OLD.guest_id IS NOT NULL;
  was_completed boolean := TG_OP = 'UPDATE' AND OLD.completed_at IS NOT NULL;
  d_created integer := (TG_OP = 'INSERT')::integer;
  d_claimed integer := (NEW.guest_id IS NOT NULL AND NOT was_claimed)::integer;
  d_completed integer := (NEW.completed_at IS NOT NULL AND NOT was_completed)::integer;
  d_reached bigint[] := reached_delta(CASE WHEN TG_OP = 'UPDATE' THEN OLD.progress ELSE 0 END, NEW.progress);
BEGIN
  INSERT INTO campaign_rollups AS r (tenant_id, campaign_id, shard, created, claimed, completed, reached)
  VALUES (NEW.tenant_id, NEW.campaign_id, s, d_created, d_claimed, d_completed, d_reached)
  ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE
  SET created = r.created + excluded.created,
      claimed = r.claimed + excluded.claimed,
      completed = r.completed + excluded.completed,
      reached = CASE WHEN excluded.reached = '{}' THEN r.reached ELSE add_counts(r.reached, excluded.reached) END;

  IF d_created + d_claimed + d_completed > 0 THEN
    INSERT INTO campaign_day_rollups AS r (tenant_id, campaign_id, day, shard, created, claimed, completed)
    SELECT NEW.tenant_id, NEW.campaign_id, c.day, s, sum(c.created), sum(c.claimed), sum(c.completed)
    FROM (VALUES (utc_day(NEW.created_at), d_created, 0, 0),
                 (utc_day(NEW.claimed_at), 0, d_claimed, 0),
                 (utc_day(NEW.completed_at), 0, 0, d_completed)) AS c(day, created, claimed, completed)
    WHERE c.created + c.claimed + c.completed > 0
    GROUP BY c.day
    ORDER BY c.day
    ON CONFLICT (tenant_id, campaign_id, day, shard) DO UPDATE
    SET created = r.created + excluded.created,
        claimed = r.claimed + excluded.claimed,
        completed = r.completed + excluded.completed;
  END IF;
  RETURN NULL;
END
$$;

-- Rollups: the dashboard's counters follow the base tables and nothing else.
-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION invitations_rollup() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION invitations_rollup() FROM PUBLIC;
