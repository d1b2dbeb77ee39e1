-- An invitation's recipient never changes (invitation_fields_fixed), except
-- that erasure blanks it: as tandem_eraser (erase_participant) it may become
-- ''. Not in invitations_before_update, which runs as tandem_referee and so
-- cannot see who made the change.
CREATE OR REPLACE FUNCTION invitations_recipient_erasable() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF current_user = 'tandem_eraser' AND NEW.recipient = '' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'invitation % keeps its host, campaign and code', OLD.id
    USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_fields_fixed', DETAIL = 'constraint "invitation_fields_fixed"';
END
$$;
