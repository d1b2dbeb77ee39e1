CREATE TRIGGER reward_fulfilments_guard BEFORE UPDATE ON public.reward_fulfilments
  FOR EACH ROW
  EXECUTE FUNCTION reward_fulfilments_guard();
