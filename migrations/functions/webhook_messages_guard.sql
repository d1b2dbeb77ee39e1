-- A rendered body is never rewritten: every retry and endpoint sends the
-- same bytes under the same webhook-id.
CREATE OR REPLACE FUNCTION webhook_messages_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  -- Erasure (erase_participant, as tandem_eraser) drops the body of a
  -- message about the erased person, which the next send renders again from
  -- the scrubbed snapshot.
  IF current_user = 'tandem_eraser' AND NEW.payload IS NULL
     AND (NEW.tenant_id, NEW.id, NEW.type, NEW.facts, NEW.created_at) = (OLD.tenant_id, OLD.id, OLD.type, OLD.facts, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  IF OLD.payload IS NOT NULL AND NEW.payload IS DISTINCT FROM OLD.payload THEN
    RAISE EXCEPTION 'webhook message % is already rendered', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'webhook_payload_once', DETAIL = 'constraint "webhook_payload_once"';
  END IF;
  RETURN NEW;
END
$$;
