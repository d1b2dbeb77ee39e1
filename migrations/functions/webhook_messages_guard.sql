-- A rendered body is never rewritten: every retry and endpoint sends the
-- same bytes under the same webhook-id. Retention is the one exception:
-- the referee (retention_blank_webhook_messages, past the tenant's period
-- and with no delivery pending) blanks the body, snapshot and facts
-- together, and nothing else of the row.
CREATE OR REPLACE FUNCTION webhook_messages_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF current_user = 'tandem_referee' AND NEW.payload IS NULL AND NEW.snapshot IS NULL AND NEW.facts = '{}'
     AND (NEW.tenant_id, NEW.id, NEW.type, NEW.object_id, NEW.created_at) = (OLD.tenant_id, OLD.id, OLD.type, OLD.object_id, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  -- Erasure (erase_participant, as tandem_eraser) drops the body of a
  -- message about the erased person, which the next send renders again from
  -- the scrubbed snapshot.
  IF current_user = 'tandem_eraser' AND NEW.payload IS NULL
     AND (NEW.tenant_id, NEW.id, NEW.type, NEW.facts, NEW.created_at) = (OLD.tenant_id, OLD.id, OLD.type, OLD.facts, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  IF (OLD.payload IS NOT NULL AND NEW.payload IS DISTINCT FROM OLD.payload)
     OR NEW.snapshot IS DISTINCT FROM OLD.snapshot OR NEW.facts IS DISTINCT FROM OLD.facts THEN
    RAISE EXCEPTION 'webhook message % is already rendered', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'webhook_payload_once', DETAIL = 'constraint "webhook_payload_once"';
  END IF;
  RETURN NEW;
END
$$;
