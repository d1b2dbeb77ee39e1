-- A new token is one of earned_rewards() of its invitation to the letter:
-- the percentage is part of the letter.
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
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_not_earned', DETAIL = 'constraint "reward_not_earned"';
  END IF;
  NEW.status := 'issued';
  NEW.status_changed_at := NULL;
  NEW.raffle_draw_id := NULL;
  NEW.issued_at := now();
  RETURN NEW;
END
$$;
