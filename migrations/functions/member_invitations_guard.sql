-- Single use and expiry, in the database: an accepted or revoked invitation
-- stays so, and an expired one cannot be accepted.
CREATE OR REPLACE FUNCTION member_invitations_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF (OLD.accepted_at IS NOT NULL OR OLD.revoked_at IS NOT NULL)
     AND (NEW.accepted_at IS DISTINCT FROM OLD.accepted_at OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) THEN
    RAISE EXCEPTION 'member invitation % is already used', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'member_invitation_used', DETAIL = 'constraint "member_invitation_used"';
  END IF;
  IF OLD.accepted_at IS NULL AND NEW.accepted_at IS NOT NULL AND OLD.expires_at <= now() THEN
    RAISE EXCEPTION 'member invitation % has expired', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'member_invitation_expired', DETAIL = 'constraint "member_invitation_expired"';
  END IF;
  RETURN NEW;
END
$$;
