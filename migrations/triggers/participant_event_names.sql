CREATE TRIGGER participant_event_names_append_only BEFORE DELETE OR UPDATE ON public.participant_event_names
  FOR EACH ROW
  EXECUTE FUNCTION forbid_change();

CREATE TRIGGER participant_event_names_no_truncate BEFORE TRUNCATE ON public.participant_event_names
  FOR EACH STATEMENT
  EXECUTE FUNCTION forbid_change();
