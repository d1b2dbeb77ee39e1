-- webhook_record is the outbox: called by the triggers below in the
-- transaction of the change. A tenant with no enabled endpoint that wants
-- p_type pays one probe of webhook_endpoints_enabled and nothing more;
-- otherwise the message keeps the object as the change left it
-- (webhook_snapshot), which the delivery sends.
-- SECURITY DEFINER (tandem_referee): triggers fire inside the referee's own
-- functions too, and tandem_app need not write river_job for it.
CREATE OR REPLACE FUNCTION webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  msg text;
  deliveries text[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                 WHERE e.tenant_id = p_tenant_id AND e.status = 'enabled' AND e.events && ARRAY[p_type, '*']) THEN
    RETURN;
  END IF;
  INSERT INTO webhook_messages (tenant_id, id, type, object_id, facts, snapshot)
  VALUES (p_tenant_id, new_message_id(), p_type, p_object_id, p_facts, webhook_snapshot(p_tenant_id, p_type, p_object_id))
  RETURNING id INTO msg;
  WITH d AS (
    INSERT INTO webhook_deliveries (tenant_id, message_id, endpoint_id)
    SELECT p_tenant_id, msg, e.id FROM webhook_endpoints e
    WHERE e.tenant_id = p_tenant_id AND e.status = 'enabled' AND e.events && ARRAY[p_type, '*']
    RETURNING id)
  SELECT array_agg(id) INTO deliveries FROM d;
  PERFORM webhook_queue(p_tenant_id, deliveries);
END
$$;

ALTER FUNCTION webhook_record(uuid,text,text,jsonb) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION webhook_record(uuid,text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_record(uuid,text,text,jsonb) TO tandem_app;
-- erase_participant records participant.erased.
GRANT EXECUTE ON FUNCTION webhook_record(uuid,text,text,jsonb) TO tandem_eraser;
