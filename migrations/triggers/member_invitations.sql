CREATE TRIGGER member_invitations_guard BEFORE UPDATE ON public.member_invitations
  FOR EACH ROW
  EXECUTE FUNCTION member_invitations_guard();
