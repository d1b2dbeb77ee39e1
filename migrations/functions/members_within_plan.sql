-- Team seats: a new member counts the members already there.
CREATE OR REPLACE FUNCTION members_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  m integer;
BEGIN
  m := plan_limit(NEW.tenant_id, 'team_seats');
  IF m IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM lock_plan_limit(NEW.tenant_id, 'team_seats');
  IF (SELECT count(*) FROM members x WHERE x.tenant_id = NEW.tenant_id) >= m THEN
    PERFORM plan_limit_reached('team_seats', m);
  END IF;
  RETURN NEW;
END
$$;
