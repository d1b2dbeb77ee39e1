-- Invitations: created (a host's invitation), claimed, a quest step done,
-- completed, expired (when the sweep marks it: expired_at goes from NULL to
-- a time, which invitations_before_update allows once). The WHEN clauses keep the cost off updates that change none
-- of these (ingestion re-judges invitations whose progress stays put).
CREATE OR REPLACE FUNCTION invitations_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  step text;
  done integer;
BEGIN
  -- A tenant without an enabled endpoint stops here, before the steps are read.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id AND e.status = 'enabled') THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.kind = 'invitation' THEN
      PERFORM webhook_record(NEW.tenant_id, 'invitation.created', NEW.id, '{}');
    END IF;
    IF NEW.guest_id IS NOT NULL THEN
      PERFORM webhook_record(NEW.tenant_id, 'invitation.claimed', NEW.id, '{}');
    END IF;
    RETURN NULL;
  END IF;
  IF OLD.guest_id IS NULL AND NEW.guest_id IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.claimed', NEW.id, '{}');
  END IF;
  -- One message per step done: an event that completes a later step first
  -- moves progress by several once the gap fills.
  FOR step, done IN
    SELECT s.event_name, s.position FROM campaign_version_steps s
    WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version
      AND s.position > OLD.progress AND s.position <= NEW.progress AND NEW.version IS NOT DISTINCT FROM OLD.version
    ORDER BY s.position
  LOOP
    PERFORM webhook_record(NEW.tenant_id, 'quest.progressed', NEW.id, jsonb_build_object('step', step, 'done', done));
  END LOOP;
  IF OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.completed', NEW.id, '{}');
  END IF;
  IF OLD.expired_at IS NULL AND NEW.expired_at IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.expired', NEW.id, '{}');
  END IF;
  RETURN NULL;
END
$$;
