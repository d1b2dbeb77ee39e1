CREATE OR REPLACE FUNCTION reward_fulfilments_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  reward_status text;
BEGIN
  -- Fulfilled: the coupon or the credit exists in Stripe. Cancelled: its
  -- reward was settled before Stripe was asked, and stays settled.
  IF TG_OP = 'UPDATE' AND OLD.status IN ('fulfilled', 'cancelled') AND NEW IS DISTINCT FROM OLD THEN
    RAISE EXCEPTION 'the fulfilment of reward % is % for good', OLD.reward_id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fulfilment_final', DETAIL = 'constraint "fulfilment_final"';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  -- A fulfilment is born, like every later state but cancelled, only
  -- beside an issued reward: a held one is never fulfilled. It is born in
  -- the transaction that inserted or approved its reward, which holds the
  -- reward's row: no lock is needed to read it.
  IF TG_OP = 'INSERT' THEN
    SELECT r.status INTO reward_status FROM reward_tokens r
    WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.reward_id;
  ELSE
    -- FOR SHARE: the reward's status cannot change until this transaction
    -- ends, and a change in flight is waited for and then seen.
    SELECT r.status INTO reward_status FROM reward_tokens r
    WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.reward_id FOR SHARE;
  END IF;
  IF (NEW.status = 'cancelled') = (reward_status IS NOT DISTINCT FROM 'issued') THEN
    RAISE EXCEPTION 'the fulfilment of reward % cannot become % while the reward is %', NEW.reward_id, NEW.status, reward_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fulfilment_follows_reward', DETAIL = 'constraint "fulfilment_follows_reward"';
  END IF;
  RETURN NEW;
END
$$;
