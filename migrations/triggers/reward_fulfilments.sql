CREATE TRIGGER reward_fulfilments_guard BEFORE INSERT OR UPDATE ON public.reward_fulfilments
  FOR EACH ROW
  EXECUTE FUNCTION reward_fulfilments_guard();

CREATE TRIGGER reward_fulfilments_webhooks AFTER UPDATE OF status ON public.reward_fulfilments
  FOR EACH ROW
  WHEN (((old.status IS DISTINCT FROM new.status) AND (new.status = ANY (ARRAY['fulfilled'::text, 'failed'::text]))))
  EXECUTE FUNCTION reward_fulfilments_webhooks();
