CREATE TRIGGER campaign_migrations_guard BEFORE INSERT OR UPDATE ON public.campaign_migrations
  FOR EACH ROW
  EXECUTE FUNCTION campaign_migrations_guard();

CREATE TRIGGER campaign_migrations_queue AFTER INSERT ON public.campaign_migrations
  FOR EACH ROW
  EXECUTE FUNCTION campaign_migrations_queue();
