-- Events are append-only (rule 4), with one exception: erasure. As
-- tandem_eraser (erase_participant, erase_event_properties: a participant's
-- erasure and retention), an update may blank the properties and may drop
-- the idempotency key, both of which can hold what the tenant sent about a
-- person; the event's name, times, participant and id stay as they were
-- (named, not compared as whole rows: a row's to_jsonb costs a
-- participant's erasure seconds over 100,000 events; a catalog test keeps
-- the list complete), so quest progress and everything derived from it stays
-- true. Any other update, by anyone, is refused, and so is every delete but
-- a deleted account's purge, as tandem_purger (purge_tenant).
CREATE OR REPLACE FUNCTION events_erasable() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND current_user = 'tandem_eraser'
     AND NEW.properties = '{}'::jsonb
     AND (NEW.idempotency_key IS NULL OR NEW.idempotency_key = OLD.idempotency_key)
     AND (NEW.tenant_id, NEW.id, NEW.participant_id, NEW.name, NEW.occurred_at, NEW.received_at)
         = (OLD.tenant_id, OLD.id, OLD.participant_id, OLD.name, OLD.occurred_at, OLD.received_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;
