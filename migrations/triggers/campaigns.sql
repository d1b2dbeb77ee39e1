CREATE TRIGGER campaigns_guard BEFORE UPDATE ON public.campaigns
  FOR EACH ROW
  EXECUTE FUNCTION campaigns_guard();

CREATE TRIGGER campaigns_within_plan BEFORE INSERT OR UPDATE OF status ON public.campaigns
  FOR EACH ROW
  WHEN ((new.status = 'active'::text))
  EXECUTE FUNCTION campaigns_within_plan();
