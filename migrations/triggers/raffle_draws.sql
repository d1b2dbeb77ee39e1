CREATE TRIGGER raffle_draws_append_only BEFORE DELETE OR UPDATE ON public.raffle_draws
  FOR EACH ROW
  EXECUTE FUNCTION forbid_change();

CREATE TRIGGER raffle_draws_webhooks AFTER INSERT ON public.raffle_draws
  FOR EACH ROW
  EXECUTE FUNCTION raffle_draws_webhooks();
