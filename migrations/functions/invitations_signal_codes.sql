-- invitation_signals holds one row per code of the invitation's risk
-- signals, no more and no fewer, whoever writes them: the codes removed
-- from risk_signals go, the new ones come (the review queue's filter by
-- signal reads them, migrations/00074_review_queue_by_signal.sql). It
-- runs as tandem_referee, the only role that writes the table: no caller
-- can add or remove a code the signals do not say.
CREATE OR REPLACE FUNCTION invitations_signal_codes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  codes text[] := ARRAY(SELECT DISTINCT s ->> 'code' FROM jsonb_array_elements(coalesce(NEW.risk_signals, '[]'::jsonb)) s);
BEGIN
  DELETE FROM invitation_signals
   WHERE tenant_id = NEW.tenant_id AND invitation_id = NEW.id AND code <> ALL (codes);
  INSERT INTO invitation_signals (tenant_id, invitation_id, code)
  SELECT NEW.tenant_id, NEW.id, c FROM unnest(codes) c
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
ALTER FUNCTION invitations_signal_codes() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION invitations_signal_codes() FROM PUBLIC;
