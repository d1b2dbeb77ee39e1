CREATE TRIGGER campaign_reward_rollups_guard BEFORE INSERT OR UPDATE ON public.campaign_reward_rollups
  FOR EACH ROW
  WHEN ((pg_trigger_depth() = 0))
  EXECUTE FUNCTION rollups_guard();
