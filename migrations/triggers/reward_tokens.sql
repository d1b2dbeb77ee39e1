CREATE TRIGGER reward_tokens_cancel_fulfilment AFTER UPDATE OF status ON public.reward_tokens
  FOR EACH ROW
  WHEN (((old.status = 'issued'::text) AND (new.status <> 'issued'::text) AND (new.kind = ANY (ARRAY['stripe_coupon'::text, 'stripe_balance'::text]))))
  EXECUTE FUNCTION reward_tokens_cancel_fulfilment();

CREATE TRIGGER reward_tokens_expiry_fixed BEFORE UPDATE ON public.reward_tokens
  FOR EACH ROW
  WHEN ((new.expires_at IS DISTINCT FROM old.expires_at))
  EXECUTE FUNCTION reward_tokens_expiry_fixed();

CREATE TRIGGER reward_tokens_fulfil AFTER INSERT ON public.reward_tokens
  FOR EACH ROW
  WHEN (((new.status = 'issued'::text) AND (new.kind = ANY (ARRAY['stripe_coupon'::text, 'stripe_balance'::text]))))
  EXECUTE FUNCTION reward_tokens_fulfil();

CREATE TRIGGER reward_tokens_fulfil_approved AFTER UPDATE OF status ON public.reward_tokens
  FOR EACH ROW
  WHEN (((old.status = 'held'::text) AND (new.status = 'issued'::text) AND (new.kind = ANY (ARRAY['stripe_coupon'::text, 'stripe_balance'::text]))))
  EXECUTE FUNCTION reward_tokens_fulfil();

CREATE TRIGGER reward_tokens_guard BEFORE DELETE OR UPDATE ON public.reward_tokens
  FOR EACH ROW
  EXECUTE FUNCTION reward_tokens_guard();

CREATE TRIGGER reward_tokens_issue_guard BEFORE INSERT ON public.reward_tokens
  FOR EACH ROW
  EXECUTE FUNCTION reward_tokens_issue_guard();

CREATE TRIGGER reward_tokens_no_truncate BEFORE TRUNCATE ON public.reward_tokens
  FOR EACH STATEMENT
  EXECUTE FUNCTION forbid_change();

CREATE TRIGGER reward_tokens_rollup_insert AFTER INSERT ON public.reward_tokens
  REFERENCING NEW TABLE AS new_reward_tokens
  FOR EACH STATEMENT
  EXECUTE FUNCTION reward_tokens_rollup();

CREATE TRIGGER reward_tokens_rollup_update AFTER UPDATE ON public.reward_tokens
  REFERENCING OLD TABLE AS old_reward_tokens NEW TABLE AS new_reward_tokens
  FOR EACH STATEMENT
  EXECUTE FUNCTION reward_tokens_rollup();

CREATE TRIGGER reward_tokens_webhooks_insert AFTER INSERT ON public.reward_tokens
  REFERENCING NEW TABLE AS new_reward_tokens
  FOR EACH STATEMENT
  EXECUTE FUNCTION reward_tokens_webhooks();

CREATE TRIGGER reward_tokens_webhooks_update AFTER UPDATE ON public.reward_tokens
  REFERENCING OLD TABLE AS old_reward_tokens NEW TABLE AS new_reward_tokens
  FOR EACH STATEMENT
  EXECUTE FUNCTION reward_tokens_webhooks();
