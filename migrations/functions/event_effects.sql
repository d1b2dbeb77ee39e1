-- What each stored event did, as a JSON array per event, read from the rows
-- ingestion writes anyway (no write per event: an event's first
-- (participant, name) pair keeps its id, participant_event_names.first_event_id):
--   claimed      the referee's record of a claim (invitation_claimed)
--   not_a_step   its name is a step of no quest of the tenant, or of none of
--                the guest's claimed invitations
--   no_invitation its participant was never referred: no invitation to move
--   repeated     the participant sent the step's name before: an earlier
--                event of the pair did whatever it did, this one nothing
--   advanced     it did step k of n, every earlier step done before it
--   early        it did step k of n before an earlier step: it counts when
--                that one is done
--   completed    it did the last step missing: the invitation completed
-- Each invitation effect (advanced, early, completed) names the invitation,
-- the campaign's slug, the step's position and name and the number of
-- steps of the version the invitation is pinned to; repeated names the
-- step's event name only (ingest_events answers it without a read, and
-- this function must say the same). Called by ingest_events for its events
-- whose name is a step and whose pair is new (the others it answers
-- itself), and by the console's event log at read time; an effect judged
-- later reads rows as they are then (a step published afterwards, say).
CREATE OR REPLACE FUNCTION event_effects(p_tenant_id uuid, p_event_ids text[])
RETURNS TABLE (event_id text, effects jsonb)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
DECLARE
  -- A value, as ingest_events takes it: on Citus each statement below
  -- routes to the tenant's worker. It must be the transaction's own.
  current_tenant uuid := p_tenant_id;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'event_effects: tenant % is not the transaction''s', p_tenant_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
  SELECT e.id,
    CASE
      WHEN e.name = 'invitation_claimed' THEN
        jsonb_build_array(jsonb_build_object('type', 'claimed', 'invitation', e.properties ->> 'invitation'))
      WHEN NOT EXISTS (SELECT 1 FROM campaign_version_steps s WHERE s.tenant_id = current_tenant AND s.event_name = e.name) THEN
        '[{"type": "not_a_step"}]'::jsonb
      WHEN pair.first_event_id <> e.id THEN
        jsonb_build_array(jsonb_build_object('type', 'repeated', 'step_name', e.name))
      WHEN NOT EXISTS (SELECT 1 FROM invitations i WHERE i.tenant_id = current_tenant AND i.guest_id = e.participant_id) THEN
        '[{"type": "no_invitation"}]'::jsonb
      ELSE coalesce(x.effects, '[{"type": "not_a_step"}]'::jsonb)
    END
  FROM unnest(p_event_ids) WITH ORDINALITY AS u(id, ord)
  JOIN events e ON e.tenant_id = current_tenant AND e.id = u.id
  LEFT JOIN participant_event_names pair ON pair.tenant_id = current_tenant
                                        AND pair.participant_id = e.participant_id AND pair.name = e.name
  LEFT JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object(
             'type', CASE
               WHEN i.completed_at IS NOT NULL AND q.all_done THEN 'completed'
               WHEN q.before_done THEN 'advanced'
               ELSE 'early' END,
             'invitation', i.id, 'campaign', c.slug, 'step', s.position, 'steps', q.total, 'step_name', s.event_name)
           ORDER BY i.claimed_at, i.id) AS effects
    FROM invitations i
    JOIN campaigns c ON c.tenant_id = current_tenant AND c.id = i.campaign_id
    JOIN campaign_version_steps s ON s.tenant_id = current_tenant AND s.campaign_id = i.campaign_id
                                 AND s.version = i.version AND s.event_name = e.name
    -- Which of the version's steps were done by this event at the latest
    -- (all_done), and which before it (before_done, the earlier steps):
    -- ids sort in the order events were stored.
    CROSS JOIN LATERAL (
      SELECT count(*)::integer AS total,
             coalesce(bool_and(p.name IS NOT NULL AND (p.first_event_id IS NULL OR p.first_event_id <= e.id)), true) AS all_done,
             coalesce(bool_and(p.name IS NOT NULL AND (p.first_event_id IS NULL OR p.first_event_id < e.id))
                      FILTER (WHERE s2.position < s.position), true) AS before_done
      FROM campaign_version_steps s2
      LEFT JOIN participant_event_names p ON p.tenant_id = current_tenant
                                         AND p.participant_id = e.participant_id AND p.name = s2.event_name
      WHERE s2.tenant_id = current_tenant AND s2.campaign_id = i.campaign_id AND s2.version = i.version) q
    -- Not read for a repeat (a one-time filter of each row).
    WHERE i.tenant_id = current_tenant AND i.guest_id = e.participant_id
      AND (pair.first_event_id IS NULL OR pair.first_event_id = e.id)) x ON true
  ORDER BY u.ord;
END
$$;
