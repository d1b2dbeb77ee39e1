-- A campaign's life: draft -> active <-> paused -> ended, ended is final. Its
-- current version only moves forward and only to a published version; its
-- mode is fixed once it has been published (rule 2: invitations already made
-- were made for that mode).
CREATE OR REPLACE FUNCTION campaigns_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'draft'  AND NEW.status = 'active')
    OR (OLD.status = 'active' AND NEW.status IN ('paused', 'ended'))
    OR (OLD.status = 'paused' AND NEW.status IN ('active', 'ended'))) THEN
    RAISE EXCEPTION 'campaign % cannot go from % to %', OLD.slug, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_status_transition', DETAIL = 'constraint "campaign_status_transition"';
  END IF;
  IF OLD.status = 'ended' AND NEW.current_version IS DISTINCT FROM OLD.current_version THEN
    RAISE EXCEPTION 'campaign % has ended', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_status_transition', DETAIL = 'constraint "campaign_status_transition"';
  END IF;
  IF NEW.current_version IS DISTINCT FROM OLD.current_version THEN
    IF NEW.current_version IS NULL OR NEW.current_version < coalesce(OLD.current_version, 0) THEN
      RAISE EXCEPTION 'the current version of campaign % only moves forward', OLD.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_forward', DETAIL = 'constraint "campaign_version_forward"';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM campaign_versions v
                   WHERE v.tenant_id = NEW.tenant_id AND v.campaign_id = NEW.id
                     AND v.version = NEW.current_version AND v.published_at IS NOT NULL) THEN
      RAISE EXCEPTION 'version % of campaign % is not published', NEW.current_version, OLD.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_published', DETAIL = 'constraint "campaign_version_published"';
    END IF;
  END IF;
  IF NEW.mode IS DISTINCT FROM OLD.mode AND OLD.current_version IS NOT NULL THEN
    RAISE EXCEPTION 'the mode of published campaign % is fixed', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_mode_fixed', DETAIL = 'constraint "campaign_mode_fixed"';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
    RAISE EXCEPTION 'a campaign keeps its id'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_id_fixed', DETAIL = 'constraint "campaign_id_fixed"';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
