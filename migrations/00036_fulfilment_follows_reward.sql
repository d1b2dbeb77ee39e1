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

-- What the bug left behind: fulfilments still waiting for rewards already
-- settled. Their queued jobs now find them cancelled.
UPDATE reward_fulfilments f SET status = 'cancelled', error = '', updated_at = now()
FROM reward_tokens r
WHERE r.tenant_id = f.tenant_id AND r.id = f.reward_id AND r.status <> 'issued' AND f.status IN ('pending', 'failed');
