-- Judges one claimed invitation (evaluate_invitations).
CREATE OR REPLACE FUNCTION evaluate_invitation(p_invitation_id text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM evaluate_invitations(ARRAY[p_invitation_id]);
END
$$;
