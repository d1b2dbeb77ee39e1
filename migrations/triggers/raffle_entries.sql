CREATE TRIGGER raffle_entries_append_only BEFORE DELETE OR UPDATE ON public.raffle_entries
  FOR EACH ROW
  EXECUTE FUNCTION forbid_change();
