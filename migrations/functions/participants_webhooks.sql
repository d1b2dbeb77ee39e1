-- Participants: created (once per statement, as ingestion creates them in
-- batches: one probe for the statement when no endpoint wants the type) and
-- updated (a row at a time, when a field the API shows changes; the WHEN
-- clause keeps an upsert that changes nothing silent, and leaves an
-- erasure to erase_participant's participant.erased).
CREATE OR REPLACE FUNCTION participants_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  t uuid;
  external text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM webhook_record(NEW.tenant_id, 'participant.updated', NEW.external_id, '{}');
    RETURN NULL;
  END IF;
  FOR t IN SELECT DISTINCT n.tenant_id FROM new_participants n LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                              WHERE e.tenant_id = t AND e.status = 'enabled' AND e.events && ARRAY['participant.created', '*']);
    FOR external IN SELECT n.external_id FROM new_participants n WHERE n.tenant_id = t ORDER BY n.id LOOP
      PERFORM webhook_record(t, 'participant.created', external, '{}');
    END LOOP;
  END LOOP;
  RETURN NULL;
END
$$;
