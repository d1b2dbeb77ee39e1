CREATE OR REPLACE FUNCTION invitations_after_claim() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM lock_guest(NEW.guest_id, true);
  PERFORM record_claim_event(NEW.id);
  PERFORM evaluate_invitation(NEW.id);
  RETURN NULL;
END
$$;
