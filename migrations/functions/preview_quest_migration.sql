-- What moving a campaign's in-flight invitations (claimed, not complete, on
-- an older version) to p_version would do to each: complete it, advance it,
-- set it back, or leave it where it is. Each is judged as quest_state
-- judges one guest (its progress is the steps done before the first step
-- missing), for all of them in one statement that joins the guests' pairs
-- to the new version's steps: one quest_state call per invitation took 9.6 s
-- for 100,000 of them, inside the publish. The statement calls no function
-- that reads tables and names the tenant as a value in every table, so on
-- Citus it goes whole to the tenant's worker; a custom plan keeps the
-- tenant a value (the publish runs it once).
CREATE OR REPLACE FUNCTION preview_quest_migration(p_campaign_id text, p_version integer,
  OUT in_flight integer, OUT complete integer, OUT advance integer, OUT fall_back integer, OUT unchanged integer)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  current_tenant uuid := app_tenant_id();
  steps integer;
BEGIN
  SELECT count(*) INTO steps FROM campaign_version_steps
   WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version;
  SELECT count(*)::integer,
         count(*) FILTER (WHERE j.after = steps)::integer,
         count(*) FILTER (WHERE j.after <> steps AND j.after > j.before)::integer,
         count(*) FILTER (WHERE j.after <> steps AND j.after < j.before)::integer,
         count(*) FILTER (WHERE j.after <> steps AND j.after = j.before)::integer
    INTO in_flight, complete, advance, fall_back, unchanged
    FROM (SELECT i.progress AS before,
                 coalesce(min(s.position) FILTER (WHERE e.name IS NULL) - 1, steps)::integer AS after
            FROM invitations i
            LEFT JOIN campaign_version_steps s
              ON s.tenant_id = current_tenant AND s.campaign_id = p_campaign_id AND s.version = p_version
            LEFT JOIN participant_event_names e
              ON e.tenant_id = current_tenant AND e.participant_id = i.guest_id AND e.name = s.event_name
           WHERE i.tenant_id = current_tenant AND i.campaign_id = p_campaign_id
             AND i.guest_id IS NOT NULL AND i.completed_at IS NULL AND i.version < p_version
           GROUP BY i.id, i.progress) j;
END
$$;
