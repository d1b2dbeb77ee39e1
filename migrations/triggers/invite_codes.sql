CREATE TRIGGER invite_codes_append_only BEFORE DELETE OR UPDATE ON public.invite_codes
  FOR EACH ROW
  EXECUTE FUNCTION forbid_change();
