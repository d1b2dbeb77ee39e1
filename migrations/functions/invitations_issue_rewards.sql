-- Completing an invitation issues what it earned, percentage included.
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
