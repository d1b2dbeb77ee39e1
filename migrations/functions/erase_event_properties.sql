-- erase_event_properties blanks the properties of at most p_limit of the
-- tenant's events received before p_before, oldest first, and returns how
-- many it blanked: retention's batch, through the same path as a
-- participant's erasure (events_erasable lets tandem_eraser blank
-- properties and nothing else). The caller decides p_before from the
-- tenant's period; small batches keep each transaction's row locks short,
-- and the events ingestion inserts are never among them. The schema's
-- invitation_claimed events hold only an invitation id and are left.
-- tandem_app may not call it (it could otherwise blank any event); the
-- retention functions, as tandem_referee, may.
CREATE OR REPLACE FUNCTION erase_event_properties(p_tenant_id uuid, p_before timestamptz, p_limit integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  blanked integer;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'erase_event_properties runs in its tenant''s transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE events SET properties = '{}'
   WHERE tenant_id = p_tenant_id
     AND id IN (SELECT e.id FROM events e
                 WHERE e.tenant_id = p_tenant_id AND e.received_at < p_before
                   AND e.properties <> '{}' AND e.name <> 'invitation_claimed'
                 ORDER BY e.received_at LIMIT greatest(p_limit, 0));
  GET DIAGNOSTICS blanked = ROW_COUNT;
  RETURN blanked;
END
$$;

ALTER FUNCTION erase_event_properties(uuid,timestamptz,integer) OWNER TO tandem_eraser;
REVOKE ALL ON FUNCTION erase_event_properties(uuid,timestamptz,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION erase_event_properties(uuid,timestamptz,integer) TO tandem_referee;
