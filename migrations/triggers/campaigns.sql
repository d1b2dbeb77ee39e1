CREATE TRIGGER campaigns_await_migration BEFORE UPDATE OF current_version, status ON public.campaigns
  FOR EACH ROW
  WHEN (((old.current_version IS DISTINCT FROM new.current_version) OR ((new.status = 'ended'::text) AND (old.status <> 'ended'::text))))
  EXECUTE FUNCTION campaigns_await_migration();

CREATE TRIGGER campaigns_guard BEFORE UPDATE ON public.campaigns
  FOR EACH ROW
  EXECUTE FUNCTION campaigns_guard();

CREATE TRIGGER campaigns_within_plan BEFORE INSERT OR UPDATE OF status ON public.campaigns
  FOR EACH ROW
  WHEN ((new.status = 'active'::text))
  EXECUTE FUNCTION campaigns_within_plan();

CREATE TRIGGER campaigns_webhooks AFTER UPDATE OF current_version, status ON public.campaigns
  FOR EACH ROW
  WHEN (((old.current_version IS DISTINCT FROM new.current_version) OR (old.status IS DISTINCT FROM new.status)))
  EXECUTE FUNCTION campaigns_webhooks();
