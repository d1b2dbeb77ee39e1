-- A Stripe reward leaving issued: a fulfilment not yet made is cancelled;
-- one made refuses a void or an expiry. The fulfilment row is locked
-- (FOR UPDATE) after the reward's, the order every writer keeps: the job
-- and the retry lock the reward first.
CREATE OR REPLACE FUNCTION reward_tokens_cancel_fulfilment() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  fulfilment_status text;
BEGIN
  SELECT f.status INTO fulfilment_status FROM reward_fulfilments f
  WHERE f.tenant_id = NEW.tenant_id AND f.reward_id = NEW.id FOR UPDATE;
  IF fulfilment_status = 'fulfilled' AND NEW.status IN ('voided', 'expired') THEN
    RAISE EXCEPTION 'reward % was paid through Stripe and cannot be %', NEW.id, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_fulfilled', DETAIL = 'constraint "reward_fulfilled"';
  END IF;
  IF fulfilment_status IN ('pending', 'failed') THEN
    UPDATE reward_fulfilments SET status = 'cancelled', error = '', updated_at = now()
    WHERE tenant_id = NEW.tenant_id AND reward_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
