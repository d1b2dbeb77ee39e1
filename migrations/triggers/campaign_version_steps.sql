CREATE TRIGGER campaign_version_steps_guard BEFORE INSERT OR DELETE OR UPDATE ON public.campaign_version_steps
  FOR EACH ROW
  EXECUTE FUNCTION version_rows_guard();
