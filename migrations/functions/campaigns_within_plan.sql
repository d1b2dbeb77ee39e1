-- Active campaigns: a campaign becoming active (publishing, resuming) counts
-- the others already active.
CREATE OR REPLACE FUNCTION campaigns_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  m integer;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'active' THEN
    RETURN NEW;
  END IF;
  m := plan_limit(NEW.tenant_id, 'active_campaigns');
  IF m IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM lock_plan_limit(NEW.tenant_id, 'active_campaigns');
  IF (SELECT count(*) FROM campaigns c WHERE c.tenant_id = NEW.tenant_id AND c.status = 'active' AND c.id <> NEW.id) >= m THEN
    PERFORM plan_limit_reached('active_campaigns', m);
  END IF;
  RETURN NEW;
END
$$;
