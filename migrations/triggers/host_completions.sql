CREATE TRIGGER host_completions_guard BEFORE INSERT OR UPDATE ON public.host_completions
  FOR EACH ROW
  EXECUTE FUNCTION host_completions_guard();
