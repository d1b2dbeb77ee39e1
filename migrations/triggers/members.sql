CREATE TRIGGER members_forget_inviter BEFORE DELETE ON public.members
  FOR EACH ROW
  EXECUTE FUNCTION members_forget_inviter();

CREATE TRIGGER members_keep_an_owner BEFORE DELETE OR UPDATE ON public.members
  FOR EACH ROW
  EXECUTE FUNCTION members_keep_an_owner();

CREATE TRIGGER members_within_plan BEFORE INSERT ON public.members
  FOR EACH ROW
  EXECUTE FUNCTION members_within_plan();
