CREATE TRIGGER campaign_day_rollups_guard BEFORE INSERT OR UPDATE ON public.campaign_day_rollups
  FOR EACH ROW
  WHEN ((pg_trigger_depth() = 0))
  EXECUTE FUNCTION rollups_guard();
