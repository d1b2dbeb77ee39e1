CREATE TRIGGER campaign_version_milestones_guard BEFORE INSERT OR DELETE OR UPDATE ON public.campaign_version_milestones
  FOR EACH ROW
  EXECUTE FUNCTION version_rows_guard();
