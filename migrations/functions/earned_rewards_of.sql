-- What each of a set of completed invitations earned: the pinned version's
-- guest reward, if any, and the host's reward for milestone
-- completion_number (row nth, or the last row for every later number when
-- the version repeats it; a gap earns nothing). The invitations come as
-- parallel arrays of their fields, so that the issuing trigger asks once for
-- a whole statement's completions (earned_rewards asks for one).
CREATE OR REPLACE FUNCTION earned_rewards_of(p_invitation_ids text[], p_campaign_ids text[], p_versions integer[],
                                             p_guest_ids text[], p_host_ids text[], p_completion_numbers integer[])
RETURNS TABLE (invitation_id text, participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text, percent_off numeric)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statement
BEGIN
  RETURN QUERY
  SELECT u.id, u.guest_id, u.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency, v.guest_reward_percent_off::numeric
  FROM unnest(p_invitation_ids, p_campaign_ids, p_versions, p_guest_ids) AS u(id, campaign_id, version, guest_id)
  JOIN campaign_versions v ON v.tenant_id = current_tenant AND v.campaign_id = u.campaign_id AND v.version = u.version
  WHERE v.guest_reward_description IS NOT NULL;
  -- Two statements, not a UNION: on Citus, a trigger on a shard may run a
  -- statement only where Citus can route it to the shard beside it, which
  -- it does for a join on the tenant and not for a set operation, and every
  -- table names the tenant as the value.
  RETURN QUERY
  SELECT u.id, u.host_id, u.campaign_id, 'host_milestone', u.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency,
         m.reward_percent_off::numeric
  FROM unnest(p_invitation_ids, p_campaign_ids, p_versions, p_host_ids, p_completion_numbers)
       AS u(id, campaign_id, version, host_id, completion_number)
  JOIN campaign_versions v ON v.tenant_id = current_tenant AND v.campaign_id = u.campaign_id AND v.version = u.version
  JOIN campaign_version_milestones m ON m.tenant_id = current_tenant AND m.campaign_id = u.campaign_id AND m.version = u.version
  WHERE m.nth = u.completion_number
     OR (v.repeat_last_milestone AND u.completion_number > m.nth
         AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                      WHERE l.tenant_id = current_tenant AND l.campaign_id = m.campaign_id AND l.version = m.version));
END
$$;
