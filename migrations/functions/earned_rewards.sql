CREATE OR REPLACE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text, percent_off numeric)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statement
BEGIN
  RETURN QUERY
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency, v.guest_reward_percent_off::numeric
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = current_tenant AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL;
  -- Two statements, not a UNION: on Citus, a trigger on a shard may run a
  -- statement only where Citus can route it to the shard beside it, which
  -- it does for a join on the tenant and not for a set operation, and every
  -- table names the tenant as the value.
  RETURN QUERY
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency,
         m.reward_percent_off::numeric
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = current_tenant AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = current_tenant AND l.campaign_id = m.campaign_id AND l.version = m.version)));
END
$$;
