-- While a migration of a campaign's in-flight invitations runs (00060), the
-- campaign publishes no other version and does not end: a second migration
-- would move invitations the first has moved, and an ended campaign judges
-- no more, so the rest could never move. Pausing is free: a paused
-- campaign still judges its guests' events.
CREATE OR REPLACE FUNCTION campaigns_await_migration() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM campaign_migrations m
             WHERE m.tenant_id = NEW.tenant_id AND m.campaign_id = NEW.id AND m.finished_at IS NULL) THEN
    RAISE EXCEPTION 'campaign % is migrating its in-flight invitations', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_running', DETAIL = 'constraint "campaign_migration_running"';
  END IF;
  RETURN NEW;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
REVOKE ALL ON FUNCTION campaigns_await_migration() FROM PUBLIC;
