-- A new token is one of earned_rewards() of its invitation to the letter:
-- the percentage is part of the letter. Its status, expiry and times are
-- the schema's, whatever the insert says: the version the invitation pinned
-- says whether it is born held (reward_born_held) and when an issued token
-- expires; a held one gets its expiry when it is approved
-- (reward_tokens_guard), so that review time never shortens it.
-- The referee's own inserts are not checked again: the only function of
-- tandem_referee that inserts tokens, invitations_completed, inserts
-- earned_rewards() itself, with the status and expiry above, in the same
-- statement (the referee is NOLOGIN; tandem_app and every other role meet
-- the check). Checking them again per token cost a completion about a
-- tenth, and then reading its version again per token about a twentieth.
CREATE OR REPLACE FUNCTION reward_tokens_issue_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  days integer;
  review text;
  threshold text;
  risk text;
BEGIN
  IF current_user = 'tandem_referee' THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM earned_rewards(NEW.invitation_id) e
    WHERE (e.participant_id, e.campaign_id, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency,
           e.percent_off)
          IS NOT DISTINCT FROM
          (NEW.participant_id, NEW.campaign_id, NEW.reason, NEW.milestone, NEW.description, NEW.kind, NEW.quantity, NEW.amount,
           NEW.currency, NEW.percent_off)) THEN
    RAISE EXCEPTION 'invitation % did not earn this reward', NEW.invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_not_earned', DETAIL = 'constraint "reward_not_earned"';
  END IF;
  SELECT v.reward_expires_after_days, v.review, v.review_threshold, i.risk_level INTO days, review, threshold, risk
  FROM invitations i JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invitation_id;
  NEW.issued_at := now();
  NEW.status_changed_at := NULL;
  NEW.raffle_draw_id := NULL;
  NEW.reviewed_at := NULL;
  NEW.review_reason := NULL;
  IF reward_born_held(review, threshold, risk) THEN
    NEW.status := 'held';
    NEW.expires_at := NULL;
  ELSE
    NEW.status := 'issued';
    NEW.expires_at := NEW.issued_at + make_interval(days => days);
  END IF;
  RETURN NEW;
END
$$;
