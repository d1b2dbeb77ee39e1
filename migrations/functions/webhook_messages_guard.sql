-- A rendered body is never rewritten: every retry and endpoint sends the
-- same bytes under the same webhook-id.
CREATE OR REPLACE FUNCTION webhook_messages_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF OLD.payload IS NOT NULL AND NEW.payload IS DISTINCT FROM OLD.payload THEN
    RAISE EXCEPTION 'webhook message % is already rendered', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'webhook_payload_once', DETAIL = 'constraint "webhook_payload_once"';
  END IF;
  RETURN NEW;
END
$$;
