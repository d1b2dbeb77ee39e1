-- A Stripe reward's fulfilment follows its reward's status: nothing a
-- reward no longer owes is paid, and nothing paid is taken back on paper.
--
-- Before this migration the fulfilment job and the retry button never read
-- the reward's status: a stripe_balance voided while its fulfilment was
-- failing was credited by River's next retry (status voided, fulfilment
-- fulfilled). The job now holds the reward's row lock (FOR SHARE) from the
-- status check to the recorded outcome, Stripe call included (package jobs),
-- and these rules make the same promise for every writer:
--
--   * a reward that leaves issued while its fulfilment is pending or failed
--     cancels it (reward_tokens_cancel_fulfilment): Stripe is never asked;
--   * a reward whose fulfilment is fulfilled cannot be voided or expired
--     (reward_fulfilled): the money has left, and the records say so;
--   * a fulfilment becomes pending, failed or fulfilled only while its
--     reward is issued, and cancelled only once it is not
--     (fulfilment_follows_reward); the guard reads the reward FOR SHARE, so a
--     concurrent status change waits for it or it waits for the change;
--   * a cancelled fulfilment, like a fulfilled one, never changes again
--     (fulfilment_final).
--
-- Rows written before this migration are not judged again, except that a
-- pending or failed fulfilment of a reward already settled is cancelled
-- below, so that no queued retry of it can pay.

-- +goose Up
ALTER TABLE reward_fulfilments DROP CONSTRAINT reward_fulfilments_status_check;
-- cancelled: its reward left issued before Stripe was asked (or before a
-- failed request was tried again); nothing was made in Stripe by Tandem.
ALTER TABLE reward_fulfilments ADD CONSTRAINT reward_fulfilments_status_check
  CHECK (status IN ('pending', 'fulfilled', 'failed', 'cancelled'));

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reward_fulfilments_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  reward_status text;
BEGIN
  -- Fulfilled: the coupon or the credit exists in Stripe. Cancelled: its
  -- reward was settled before Stripe was asked, and stays settled.
  IF OLD.status IN ('fulfilled', 'cancelled') AND NEW IS DISTINCT FROM OLD THEN
    RAISE EXCEPTION 'the fulfilment of reward % is % for good', OLD.reward_id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fulfilment_final';
  END IF;
  IF NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  -- FOR SHARE: the reward's status cannot change until this transaction
  -- ends, and a change in flight is waited for and then seen.
  SELECT r.status INTO reward_status FROM reward_tokens r
  WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.reward_id FOR SHARE;
  IF (NEW.status = 'cancelled') = (reward_status IS NOT DISTINCT FROM 'issued') THEN
    RAISE EXCEPTION 'the fulfilment of reward % cannot become % while the reward is %', NEW.reward_id, NEW.status, reward_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fulfilment_follows_reward';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd

-- A Stripe reward leaving issued: a fulfilment not yet made is cancelled;
-- one made refuses a void or an expiry. The fulfilment row is locked
-- (FOR UPDATE) after the reward's, the order every writer keeps: the job
-- and the retry lock the reward first.
-- +goose StatementBegin
CREATE FUNCTION reward_tokens_cancel_fulfilment() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  fulfilment_status text;
BEGIN
  SELECT f.status INTO fulfilment_status FROM reward_fulfilments f
  WHERE f.tenant_id = NEW.tenant_id AND f.reward_id = NEW.id FOR UPDATE;
  IF fulfilment_status = 'fulfilled' AND NEW.status IN ('voided', 'expired') THEN
    RAISE EXCEPTION 'reward % was paid through Stripe and cannot be %', NEW.id, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_fulfilled';
  END IF;
  IF fulfilment_status IN ('pending', 'failed') THEN
    UPDATE reward_fulfilments SET status = 'cancelled', error = '', updated_at = now()
    WHERE tenant_id = NEW.tenant_id AND reward_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reward_tokens_cancel_fulfilment AFTER UPDATE OF status ON reward_tokens
  FOR EACH ROW WHEN (OLD.status = 'issued' AND NEW.status <> 'issued' AND NEW.kind IN ('stripe_coupon', 'stripe_balance'))
  EXECUTE FUNCTION reward_tokens_cancel_fulfilment();

-- What the bug left behind: fulfilments still waiting for rewards already
-- settled. Their queued jobs now find them cancelled.
UPDATE reward_fulfilments f SET status = 'cancelled', error = '', updated_at = now()
FROM reward_tokens r
WHERE r.tenant_id = f.tenant_id AND r.id = f.reward_id AND r.status <> 'issued' AND f.status IN ('pending', 'failed');
