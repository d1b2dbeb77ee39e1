CREATE TRIGGER campaign_versions_await_events BEFORE UPDATE OF published_at ON public.campaign_versions
  FOR EACH ROW
  WHEN (((old.published_at IS NULL) AND (new.published_at IS NOT NULL)))
  EXECUTE FUNCTION campaign_versions_await_events();

CREATE TRIGGER campaign_versions_guard BEFORE INSERT OR DELETE OR UPDATE ON public.campaign_versions
  FOR EACH ROW
  EXECUTE FUNCTION campaign_versions_guard();
