-- What one invitation earned, if it is complete (earned_rewards_of):
-- reward_tokens_issue_guard holds every token it did not issue itself to it.
CREATE OR REPLACE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text, percent_off numeric)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statement
  i invitations;
BEGIN
  SELECT * INTO i FROM invitations
  WHERE tenant_id = current_tenant AND id = p_invitation_id AND completed_at IS NOT NULL;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  RETURN QUERY
  SELECT e.participant_id, e.campaign_id, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency, e.percent_off
  FROM earned_rewards_of(ARRAY[i.id], ARRAY[i.campaign_id], ARRAY[i.version], ARRAY[i.guest_id], ARRAY[i.host_id],
                         ARRAY[i.completion_number]) e;
END
$$;
