CREATE TRIGGER events_append_only BEFORE DELETE OR UPDATE ON public.events
  FOR EACH ROW
  EXECUTE FUNCTION events_erasable();

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON public.events
  FOR EACH STATEMENT
  EXECUTE FUNCTION forbid_change();

CREATE TRIGGER events_record_names AFTER INSERT ON public.events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT
  EXECUTE FUNCTION events_record_names();
