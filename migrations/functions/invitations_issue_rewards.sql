-- Completing invitations issues what they earned, percentage included: once
-- a statement, for every invitation the statement completed
-- (earned_rewards_of, asked once for them all, and one insert), so that a
-- batch that completes a thousand quests pays for one insert statement
-- rather than a thousand. The transition tables are read into arrays first,
-- one tenant at a time: on Citus a trigger on a shard may run only
-- statements that route to one shard (events_record_names does the same).
-- SECURITY DEFINER (tandem_referee): the tokens it inserts are
-- earned_rewards_of() to the letter by construction, and
-- reward_tokens_issue_guard, seeing the referee insert them, does not
-- recompute them for each (measured: a tenth of a completion's cost).
CREATE OR REPLACE FUNCTION invitations_issue_rewards() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid;
  ids text[];
  campaign_ids text[];
  versions integer[];
  guest_ids text[];
  host_ids text[];
  numbers integer[];
BEGIN
  FOR current_tenant, ids, campaign_ids, versions, guest_ids, host_ids, numbers IN
    SELECT n.tenant_id, array_agg(n.id ORDER BY n.id), array_agg(n.campaign_id ORDER BY n.id), array_agg(n.version ORDER BY n.id),
           array_agg(n.guest_id ORDER BY n.id), array_agg(n.host_id ORDER BY n.id), array_agg(n.completion_number ORDER BY n.id)
    FROM new_invitations n JOIN old_invitations o ON o.tenant_id = n.tenant_id AND o.id = n.id
    WHERE o.completed_at IS NULL AND n.completed_at IS NOT NULL
    GROUP BY n.tenant_id
  LOOP
    INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone,
                               description, kind, quantity, amount, currency, percent_off)
    SELECT current_tenant, e.participant_id, e.campaign_id, e.invitation_id, e.reason, e.milestone,
           e.description, e.kind, e.quantity, e.amount, e.currency, e.percent_off
    FROM earned_rewards_of(ids, campaign_ids, versions, guest_ids, host_ids, numbers) e;
  END LOOP;
  RETURN NULL;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION invitations_issue_rewards() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION invitations_issue_rewards() FROM PUBLIC;
