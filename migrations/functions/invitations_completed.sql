-- What completing invitations does, once a statement for every invitation
-- the statement completed: their hosts' counters catch up with the numbers
-- the completions took (invitations_before_update), one update per host,
-- in host order (the rows are locked already); then what they earned is
-- issued, percentage included (earned_rewards_of, asked once for them all,
-- and one insert), so that a batch that completes a thousand quests pays
-- for one insert statement rather than a thousand. The transition tables are read into arrays first,
-- one tenant at a time: on Citus a trigger on a shard may run only
-- statements that route to one shard (events_record_names does the same).
-- SECURITY DEFINER (tandem_referee): the tokens it inserts are
-- earned_rewards_of() to the letter by construction, born held or issued
-- as the schema decides, and reward_tokens_issue_guard, seeing the referee
-- insert them, does not decide again for each.
CREATE OR REPLACE FUNCTION invitations_completed() RETURNS trigger
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
  -- The statement's completions are its complete rows less those that
  -- were complete before it, a set difference rather than a join of the
  -- two transition tables: a statement's plan is kept for the session,
  -- made for the row counts of its first call, and a join planned for one
  -- row scanned the old rows once per new row (a batch of 1,000 completions
  -- on a connection that had claimed once: 70 ms). A row complete before
  -- is the same row in both (invitation_fields_fixed, invitation_completed
  -- and invitation_already_claimed keep these columns), so it cancels out.
  FOR current_tenant, ids, campaign_ids, versions, guest_ids, host_ids, numbers IN
    SELECT c.tenant_id, array_agg(c.id ORDER BY c.id), array_agg(c.campaign_id ORDER BY c.id), array_agg(c.version ORDER BY c.id),
           array_agg(c.guest_id ORDER BY c.id), array_agg(c.host_id ORDER BY c.id), array_agg(c.completion_number ORDER BY c.id)
    FROM (SELECT n.tenant_id, n.id, n.campaign_id, n.version, n.guest_id, n.host_id, n.completion_number
          FROM new_invitations n WHERE n.completed_at IS NOT NULL
          EXCEPT
          SELECT o.tenant_id, o.id, o.campaign_id, o.version, o.guest_id, o.host_id, o.completion_number
          FROM old_invitations o WHERE o.completed_at IS NOT NULL) c
    GROUP BY c.tenant_id
  LOOP
    UPDATE host_completions h SET completed = m.highest
    FROM (SELECT u.campaign_id, u.host_id, max(u.number) AS highest
          FROM unnest(campaign_ids, host_ids, numbers) AS u(campaign_id, host_id, number)
          GROUP BY u.campaign_id, u.host_id) m
    WHERE h.tenant_id = current_tenant AND h.campaign_id = m.campaign_id AND h.host_id = m.host_id
      AND h.completed < m.highest;
    -- Born held or issued, and when an issued one expires, as
    -- reward_tokens_issue_guard decides for any other insert.
    INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone,
                               description, kind, quantity, amount, currency, percent_off, status, expires_at)
    SELECT current_tenant, e.participant_id, e.campaign_id, e.invitation_id, e.reason, e.milestone,
           e.description, e.kind, e.quantity, e.amount, e.currency, e.percent_off,
           CASE WHEN h.held THEN 'held' ELSE 'issued' END,
           CASE WHEN NOT h.held THEN now() + make_interval(days => v.reward_expires_after_days) END
    FROM earned_rewards_of(ids, campaign_ids, versions, guest_ids, host_ids, numbers) e
    JOIN invitations i ON i.tenant_id = current_tenant AND i.id = e.invitation_id
    JOIN campaign_versions v ON v.tenant_id = current_tenant AND v.campaign_id = i.campaign_id AND v.version = i.version
    CROSS JOIN LATERAL (SELECT reward_born_held(v.review, v.review_threshold, i.risk_level) AS held) h;
  END LOOP;
  RETURN NULL;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION invitations_completed() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION invitations_completed() FROM PUBLIC;
