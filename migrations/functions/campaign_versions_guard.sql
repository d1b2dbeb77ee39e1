-- Rule 3: a published version never changes and is never deleted. Publishing
-- (setting published_at) is the one allowed update, and it checks that the
-- version is complete: a quest of steps 1..n with n >= 1, and a milestone
-- table that starts at the 1st completion. A deleted account's purge (as
-- tandem_purger) removes every version.
CREATE OR REPLACE FUNCTION campaign_versions_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  steps integer;
  last_position integer;
  first_nth integer;
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  -- A version is born a draft, so that publishing is always the UPDATE below.
  IF TG_OP = 'INSERT' THEN
    IF NEW.published_at IS NOT NULL THEN
      RAISE EXCEPTION 'a version is created as a draft and published afterwards'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'version_born_draft', DETAIL = 'constraint "version_born_draft"';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.published_at IS NOT NULL THEN
    RAISE EXCEPTION 'version % of campaign % is published and cannot change', OLD.version, OLD.campaign_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'published_version_immutable', DETAIL = 'constraint "published_version_immutable"';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF NEW.published_at IS NOT NULL THEN
    SELECT count(*), max(position) INTO steps, last_position
    FROM campaign_version_steps s
    WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version;
    IF steps = 0 OR steps <> last_position THEN
      RAISE EXCEPTION 'a quest needs steps numbered 1..n with at least one step'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'quest_steps_required', DETAIL = 'constraint "quest_steps_required"';
    END IF;
    SELECT min(nth) INTO first_nth
    FROM campaign_version_milestones m
    WHERE m.tenant_id = NEW.tenant_id AND m.campaign_id = NEW.campaign_id AND m.version = NEW.version;
    IF first_nth IS NOT NULL AND first_nth <> 1 THEN
      RAISE EXCEPTION 'the milestone table must start at the 1st completion'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'milestones_start_at_one', DETAIL = 'constraint "milestones_start_at_one"';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
