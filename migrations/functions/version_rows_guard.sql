-- Rule 3 for the rows inside a version: steps and milestones of a published
-- version are as frozen as the version itself, until a deleted account's
-- purge (as tandem_purger) removes them.
CREATE OR REPLACE FUNCTION version_rows_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  r record;
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF EXISTS (SELECT 1 FROM campaign_versions v
             WHERE v.tenant_id = r.tenant_id AND v.campaign_id = r.campaign_id
               AND v.version = r.version AND v.published_at IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND EXISTS (
             SELECT 1 FROM campaign_versions v
             WHERE v.tenant_id = OLD.tenant_id AND v.campaign_id = OLD.campaign_id
               AND v.version = OLD.version AND v.published_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'version % of campaign % is published and cannot change', r.version, r.campaign_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'published_version_immutable', DETAIL = 'constraint "published_version_immutable"';
  END IF;
  RETURN r;
END
$$;
