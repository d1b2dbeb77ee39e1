-- Completing an invitation issues what it earned, percentage included.
-- SECURITY DEFINER (tandem_referee): the tokens it inserts are earned_rewards()
-- to the letter by construction, and reward_tokens_issue_guard, seeing the
-- referee insert them, does not compute earned_rewards() a second time for
-- each (measured: a third of a completion's cost went to that recheck).
CREATE OR REPLACE FUNCTION invitations_issue_rewards() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
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

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION invitations_issue_rewards() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION invitations_issue_rewards() FROM PUBLIC;
