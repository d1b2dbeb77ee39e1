-- A statement created invitations, or changed their claims, progress or
-- completions: what it did to the campaigns' counters is the sum over its
-- new rows less the sum over its old ones (an insert has no old rows),
-- left in rollup_deltas for the commit (rollup_deltas_apply):
--   created     each row counts 1, on the day of created_at
--   claimed     a row with a guest counts 1, on the day of claimed_at
--   completed   a completed row counts 1, on the day of completed_at
--   reached[k]  a row whose progress is at least k counts 1 (an unclaimed
--               one has progress 0, invitations_before_insert)
-- A row counts under the same campaign and days before and after (the
-- schema never moves an invitation's campaign, created_at, claimed_at or
-- completed_at once set), so an update cancels out except where it moved
-- a claim, a completion or the progress; a migration may move progress
-- back, and its deltas are then negative. The rows are read into arrays
-- first and each tenant's deltas inserted from them: on Citus a trigger on
-- a shard may run only statements that route to one shard.
CREATE OR REPLACE FUNCTION invitations_rollup() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid;
  tenant_ids uuid[];
  campaign_ids text[];
  signs integer[];
  claims integer[];
  completions integer[];
  progresses integer[];
  created_days date[];
  claimed_days date[];
  completed_days date[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.tenant_id), array_agg(n.campaign_id), array_agg(1), array_agg((n.guest_id IS NOT NULL)::integer),
           array_agg((n.completed_at IS NOT NULL)::integer), array_agg(n.progress), array_agg(utc_day(n.created_at)),
           array_agg(utc_day(n.claimed_at)), array_agg(utc_day(n.completed_at))
    INTO tenant_ids, campaign_ids, signs, claims, completions, progresses, created_days, claimed_days, completed_days
    FROM new_invitations n;
  ELSE
    SELECT array_agg(r.tenant_id), array_agg(r.campaign_id), array_agg(r.sign), array_agg((r.guest_id IS NOT NULL)::integer),
           array_agg((r.completed_at IS NOT NULL)::integer), array_agg(r.progress), array_agg(utc_day(r.created_at)),
           array_agg(utc_day(r.claimed_at)), array_agg(utc_day(r.completed_at))
    INTO tenant_ids, campaign_ids, signs, claims, completions, progresses, created_days, claimed_days, completed_days
    FROM (SELECT n.tenant_id, n.campaign_id, 1 AS sign, n.guest_id, n.completed_at, n.progress, n.created_at, n.claimed_at
          FROM new_invitations n
          UNION ALL
          SELECT o.tenant_id, o.campaign_id, -1, o.guest_id, o.completed_at, o.progress, o.created_at, o.claimed_at
          FROM old_invitations o) r;
  END IF;

  FOR current_tenant IN SELECT DISTINCT t FROM unnest(tenant_ids) AS t ORDER BY t LOOP
    INSERT INTO rollup_deltas (tenant_id, campaign_id, rollup, created, claimed, completed, reached)
    SELECT current_tenant, f.campaign_id, 'funnel', f.created, f.claimed, f.completed, coalesce(k.reached, '{}')
    FROM (SELECT u.campaign_id, sum(u.sign) AS created, sum(u.sign * u.claim) AS claimed, sum(u.sign * u.completion) AS completed
          FROM unnest(tenant_ids, campaign_ids, signs, claims, completions) AS u(tenant_id, campaign_id, sign, claim, completion)
          WHERE u.tenant_id = current_tenant
          GROUP BY u.campaign_id) f
    LEFT JOIN LATERAL (
      SELECT array_agg(s.n ORDER BY s.k) AS reached
      FROM (SELECT r.k, sum(u.sign) AS n
            FROM unnest(tenant_ids, campaign_ids, signs, progresses) AS u(tenant_id, campaign_id, sign, progress)
            CROSS JOIN generate_series(1, u.progress) AS r(k)
            WHERE u.tenant_id = current_tenant AND u.campaign_id = f.campaign_id
            GROUP BY r.k) s
      HAVING bool_or(s.n <> 0)) k ON true
    WHERE f.created <> 0 OR f.claimed <> 0 OR f.completed <> 0 OR k.reached IS NOT NULL
    ORDER BY f.campaign_id;

    INSERT INTO rollup_deltas (tenant_id, campaign_id, rollup, day, created, claimed, completed)
    SELECT current_tenant, u.campaign_id, 'day', d.day, sum(d.created), sum(d.claimed), sum(d.completed)
    FROM unnest(tenant_ids, campaign_ids, signs, claims, completions, created_days, claimed_days, completed_days)
         AS u(tenant_id, campaign_id, sign, claim, completion, created_day, claimed_day, completed_day)
    CROSS JOIN LATERAL (VALUES (u.created_day, u.sign, 0, 0),
                               (u.claimed_day, 0, u.sign * u.claim, 0),
                               (u.completed_day, 0, 0, u.sign * u.completion)) AS d(day, created, claimed, completed)
    WHERE u.tenant_id = current_tenant AND d.day IS NOT NULL
    GROUP BY u.campaign_id, d.day
    HAVING sum(d.created) <> 0 OR sum(d.claimed) <> 0 OR sum(d.completed) <> 0
    ORDER BY u.campaign_id, d.day;
  END LOOP;
  RETURN NULL;
END
$$;

-- Rollups: the dashboard's counters follow the base tables and nothing else.
-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION invitations_rollup() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION invitations_rollup() FROM PUBLIC;
