-- A campaign published (its current version moved), paused or ended. On
-- the campaigns row rather than the version's, so that the message sees the
-- campaign the publication left (current version and status are set after
-- the version is marked published). A publish that also activates sends
-- campaign.published only: the status follows from it.
CREATE OR REPLACE FUNCTION campaigns_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF OLD.current_version IS DISTINCT FROM NEW.current_version THEN
    PERFORM webhook_record(NEW.tenant_id, 'campaign.published', NEW.slug, jsonb_build_object('version', NEW.current_version));
  ELSIF NEW.status IN ('paused', 'ended') THEN
    PERFORM webhook_record(NEW.tenant_id, 'campaign.' || NEW.status, NEW.slug, '{}');
  END IF;
  RETURN NULL;
END
$$;
