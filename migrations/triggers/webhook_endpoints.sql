CREATE TRIGGER webhook_endpoints_within_plan BEFORE INSERT ON public.webhook_endpoints
  FOR EACH ROW
  EXECUTE FUNCTION webhook_endpoints_within_plan();
