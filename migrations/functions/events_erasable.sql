-- Events are append-only (rule 4), with one exception: erasure. As
-- tandem_eraser (erase_participant, erase_event_properties: a participant's
-- erasure and retention), an update may blank the properties and may drop
-- the idempotency key, both of which can hold what the tenant sent about a
-- person; the event's name, time, participant and every other column stay
-- as they were, so quest progress and everything derived from it stays
-- true. Any other update, by anyone, and every delete are refused.
CREATE OR REPLACE FUNCTION events_erasable() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_user = 'tandem_eraser'
     AND NEW.properties = '{}'::jsonb
     AND (NEW.idempotency_key IS NULL OR NEW.idempotency_key = OLD.idempotency_key)
     AND to_jsonb(NEW) - 'properties' - 'idempotency_key' = to_jsonb(OLD) - 'properties' - 'idempotency_key' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;
