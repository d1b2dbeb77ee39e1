-- A migration of a campaign's in-flight invitations (00060): it starts at
-- the publish, for the version just made current, with nothing moved yet;
-- the batches only move it forward; it finishes once, when no in-flight
-- invitation of its campaign is left below its version, and a finished
-- migration never changes again.
CREATE OR REPLACE FUNCTION campaign_migrations_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.migrated <> 0 OR NEW.after_host IS NOT NULL OR NEW.finished_at IS NOT NULL
       OR NOT EXISTS (SELECT 1 FROM campaigns c
                      WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.campaign_id AND c.current_version = NEW.version) THEN
      RAISE EXCEPTION 'a migration starts unmoved, for its campaign''s current version'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_start', DETAIL = 'constraint "campaign_migration_start"';
    END IF;
    NEW.started_at := now();
    RETURN NEW;
  END IF;
  IF OLD.finished_at IS NOT NULL THEN
    RAISE EXCEPTION 'the migration of campaign % to version % is finished', OLD.campaign_id, OLD.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_finished', DETAIL = 'constraint "campaign_migration_finished"';
  END IF;
  IF (NEW.tenant_id, NEW.campaign_id, NEW.version, NEW.in_flight, NEW.started_at)
       IS DISTINCT FROM (OLD.tenant_id, OLD.campaign_id, OLD.version, OLD.in_flight, OLD.started_at)
     OR NEW.migrated < OLD.migrated
     OR (OLD.after_host IS NOT NULL AND (NEW.after_host IS NULL OR (NEW.after_host, NEW.after_id) < (OLD.after_host, OLD.after_id))) THEN
    RAISE EXCEPTION 'the migration of campaign % to version % only moves forward', OLD.campaign_id, OLD.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_forward', DETAIL = 'constraint "campaign_migration_forward"';
  END IF;
  IF NEW.finished_at IS NOT NULL THEN
    IF EXISTS (SELECT 1 FROM invitations i
               WHERE i.tenant_id = NEW.tenant_id AND i.campaign_id = NEW.campaign_id
                 AND i.guest_id IS NOT NULL AND i.completed_at IS NULL AND i.version < NEW.version) THEN
      RAISE EXCEPTION 'in-flight invitations of campaign % are still below version %', NEW.campaign_id, NEW.version
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_unfinished', DETAIL = 'constraint "campaign_migration_unfinished"';
    END IF;
    NEW.finished_at := now();
  END IF;
  RETURN NEW;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
REVOKE ALL ON FUNCTION campaign_migrations_guard() FROM PUBLIC;
