-- Percentage coupons: a stripe_coupon reward is a money amount
-- off (amount and currency, as in 00026) or a percentage off, on the guest
-- reward of a version, on a milestone's reward, and on the issued token's
-- snapshot.
--
-- The percentage: Stripe's percent_off takes a number above 0 and at most
-- 100 with up to two decimals (12.5 and 33.33 are fine). The column is a
-- plain numeric whose CHECK refuses a third decimal: numeric(5,2) would
-- round it away silently, and the reward would not be what was asked.

-- +goose Up
ALTER TABLE campaign_versions ADD COLUMN guest_reward_percent_off numeric
  CHECK (guest_reward_percent_off > 0 AND guest_reward_percent_off <= 100
         AND guest_reward_percent_off = round(guest_reward_percent_off, 2));
ALTER TABLE campaign_version_milestones ADD COLUMN reward_percent_off numeric
  CHECK (reward_percent_off > 0 AND reward_percent_off <= 100 AND reward_percent_off = round(reward_percent_off, 2));
ALTER TABLE reward_tokens ADD COLUMN percent_off numeric
  CHECK (percent_off > 0 AND percent_off <= 100 AND percent_off = round(percent_off, 2));

-- Only a Stripe coupon may be a percentage off: every other kind is settled
-- by hand or credited as money. (coalesce: a kind that is NULL would make
-- the CHECK NULL, and a NULL CHECK passes.)
ALTER TABLE campaign_versions ADD CONSTRAINT guest_reward_percent_kind CHECK (
  guest_reward_percent_off IS NULL OR coalesce(guest_reward_kind = 'stripe_coupon', false));
ALTER TABLE campaign_version_milestones ADD CONSTRAINT milestone_reward_percent_kind CHECK (
  reward_percent_off IS NULL OR reward_kind = 'stripe_coupon');
ALTER TABLE reward_tokens ADD CONSTRAINT reward_percent_kind CHECK (
  percent_off IS NULL OR kind = 'stripe_coupon');

-- What Stripe fulfils, replacing 00026's *_stripe_amount: a Stripe coupon
-- is exactly one of an amount above 0 (with its currency: *_money) or a
-- percentage; a balance credit is an amount above 0 (it cannot carry a
-- percentage, above).
ALTER TABLE campaign_versions DROP CONSTRAINT guest_reward_stripe_amount;
ALTER TABLE campaign_versions ADD CONSTRAINT guest_reward_stripe_value CHECK (
  coalesce(guest_reward_kind, '') NOT IN ('stripe_coupon', 'stripe_balance')
  OR CASE WHEN guest_reward_percent_off IS NULL THEN coalesce(guest_reward_amount, 0) > 0
          ELSE guest_reward_amount IS NULL END);
ALTER TABLE campaign_version_milestones DROP CONSTRAINT milestone_reward_stripe_amount;
ALTER TABLE campaign_version_milestones ADD CONSTRAINT milestone_reward_stripe_value CHECK (
  reward_kind NOT IN ('stripe_coupon', 'stripe_balance')
  OR CASE WHEN reward_percent_off IS NULL THEN coalesce(reward_amount, 0) > 0
          ELSE reward_amount IS NULL END);
ALTER TABLE reward_tokens DROP CONSTRAINT reward_stripe_amount;
ALTER TABLE reward_tokens ADD CONSTRAINT reward_stripe_value CHECK (
  kind NOT IN ('stripe_coupon', 'stripe_balance')
  OR CASE WHEN percent_off IS NULL THEN coalesce(amount, 0) > 0
          ELSE amount IS NULL END);
