-- Percentage coupons (issue 12): a stripe_coupon reward is a money amount
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

-- earned_rewards (rule 6) returns the percentage too. Its row type changes,
-- so it is dropped and made again; nothing depends on it in the catalog
-- (its callers are PL/pgSQL, below), and it keeps its owner and the
-- default EXECUTE it had. The body is 00030's with one more column read
-- from the rows it already joins: no further work per call.
DROP FUNCTION earned_rewards(text);
-- +goose StatementBegin
CREATE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text, percent_off numeric)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN QUERY
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency, v.guest_reward_percent_off::numeric
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL
  UNION ALL
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency,
         m.reward_percent_off::numeric
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = m.tenant_id AND l.campaign_id = m.campaign_id AND l.version = m.version)));
END
$$;
-- +goose StatementEnd

-- Completing an invitation issues what it earned, percentage included.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invitations_issue_rewards() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone,
                             description, kind, quantity, amount, currency, percent_off)
  SELECT NEW.tenant_id, e.participant_id, e.campaign_id, NEW.id, e.reason, e.milestone,
         e.description, e.kind, e.quantity, e.amount, e.currency, e.percent_off
  FROM earned_rewards(NEW.id) e;
  RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A new token is one of earned_rewards() of its invitation to the letter:
-- the percentage is part of the letter.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reward_tokens_issue_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM earned_rewards(NEW.invitation_id) e
    WHERE (e.participant_id, e.campaign_id, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency,
           e.percent_off)
          IS NOT DISTINCT FROM
          (NEW.participant_id, NEW.campaign_id, NEW.reason, NEW.milestone, NEW.description, NEW.kind, NEW.quantity, NEW.amount,
           NEW.currency, NEW.percent_off)) THEN
    RAISE EXCEPTION 'invitation % did not earn this reward', NEW.invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_not_earned';
  END IF;
  NEW.status := 'issued';
  NEW.status_changed_at := NULL;
  NEW.raffle_draw_id := NULL;
  NEW.issued_at := now();
  RETURN NEW;
END
$$;
-- +goose StatementEnd

-- rule 9: a token's snapshot, percentage included, is never rewritten.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reward_tokens_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reward % was issued and stays issued', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked';
  END IF;
  IF (NEW.tenant_id, NEW.id, NEW.participant_id, NEW.campaign_id, NEW.invitation_id, NEW.reason, NEW.milestone,
      NEW.description, NEW.kind, NEW.quantity, NEW.amount, NEW.currency, NEW.percent_off, NEW.issued_at)
     IS DISTINCT FROM
     (OLD.tenant_id, OLD.id, OLD.participant_id, OLD.campaign_id, OLD.invitation_id, OLD.reason, OLD.milestone,
      OLD.description, OLD.kind, OLD.quantity, OLD.amount, OLD.currency, OLD.percent_off, OLD.issued_at) THEN
    RAISE EXCEPTION 'reward % keeps the reward it was issued with', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked';
  END IF;
  IF OLD.status <> 'issued' AND (NEW.status, NEW.status_changed_at, NEW.raffle_draw_id)
       IS DISTINCT FROM (OLD.status, OLD.status_changed_at, OLD.raffle_draw_id) THEN
    RAISE EXCEPTION 'reward % is % for good', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- Going down refuses while a percentage coupon has been issued: such a
-- token is not a reward 00026 can express, and tokens are never deleted.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reward_tokens_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reward % was issued and stays issued', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked';
  END IF;
  IF (NEW.tenant_id, NEW.id, NEW.participant_id, NEW.campaign_id, NEW.invitation_id, NEW.reason, NEW.milestone,
      NEW.description, NEW.kind, NEW.quantity, NEW.amount, NEW.currency, NEW.issued_at)
     IS DISTINCT FROM
     (OLD.tenant_id, OLD.id, OLD.participant_id, OLD.campaign_id, OLD.invitation_id, OLD.reason, OLD.milestone,
      OLD.description, OLD.kind, OLD.quantity, OLD.amount, OLD.currency, OLD.issued_at) THEN
    RAISE EXCEPTION 'reward % keeps the reward it was issued with', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked';
  END IF;
  IF OLD.status <> 'issued' AND (NEW.status, NEW.status_changed_at, NEW.raffle_draw_id)
       IS DISTINCT FROM (OLD.status, OLD.status_changed_at, OLD.raffle_draw_id) THEN
    RAISE EXCEPTION 'reward % is % for good', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reward_tokens_issue_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM earned_rewards(NEW.invitation_id) e
    WHERE (e.participant_id, e.campaign_id, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency)
          IS NOT DISTINCT FROM
          (NEW.participant_id, NEW.campaign_id, NEW.reason, NEW.milestone, NEW.description, NEW.kind, NEW.quantity, NEW.amount, NEW.currency)) THEN
    RAISE EXCEPTION 'invitation % did not earn this reward', NEW.invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_not_earned';
  END IF;
  NEW.status := 'issued';
  NEW.status_changed_at := NULL;
  NEW.raffle_draw_id := NULL;
  NEW.issued_at := now();
  RETURN NEW;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invitations_issue_rewards() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone,
                             description, kind, quantity, amount, currency)
  SELECT NEW.tenant_id, e.participant_id, e.campaign_id, NEW.id, e.reason, e.milestone,
         e.description, e.kind, e.quantity, e.amount, e.currency
  FROM earned_rewards(NEW.id) e;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
DROP FUNCTION earned_rewards(text);
-- +goose StatementBegin
CREATE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN QUERY
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL
  UNION ALL
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = m.tenant_id AND l.campaign_id = m.campaign_id AND l.version = m.version)));
END
$$;
-- +goose StatementEnd
ALTER TABLE reward_tokens DROP CONSTRAINT reward_stripe_value;
ALTER TABLE reward_tokens DROP CONSTRAINT reward_percent_kind;
ALTER TABLE reward_tokens DROP COLUMN percent_off;
ALTER TABLE reward_tokens ADD CONSTRAINT reward_stripe_amount CHECK (
  kind NOT IN ('stripe_coupon', 'stripe_balance') OR coalesce(amount, 0) > 0);
ALTER TABLE campaign_version_milestones DROP CONSTRAINT milestone_reward_stripe_value;
ALTER TABLE campaign_version_milestones DROP CONSTRAINT milestone_reward_percent_kind;
ALTER TABLE campaign_version_milestones DROP COLUMN reward_percent_off;
ALTER TABLE campaign_version_milestones ADD CONSTRAINT milestone_reward_stripe_amount CHECK (
  reward_kind NOT IN ('stripe_coupon', 'stripe_balance') OR coalesce(reward_amount, 0) > 0);
ALTER TABLE campaign_versions DROP CONSTRAINT guest_reward_stripe_value;
ALTER TABLE campaign_versions DROP CONSTRAINT guest_reward_percent_kind;
ALTER TABLE campaign_versions DROP COLUMN guest_reward_percent_off;
ALTER TABLE campaign_versions ADD CONSTRAINT guest_reward_stripe_amount CHECK (
  guest_reward_kind NOT IN ('stripe_coupon', 'stripe_balance') OR coalesce(guest_reward_amount, 0) > 0);
