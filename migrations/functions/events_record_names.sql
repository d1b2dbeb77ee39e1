-- Each new (participant, event name) pair of a statement's events is
-- recorded once (participant_event_names), probed before the insert so that
-- a pair seen before costs a read, and inserted in key order so that two
-- batches never wait on each other's pairs crosswise. One tenant at a time,
-- with the pairs passed as arrays: on Citus a trigger on a shard may run only
-- statements that route to one shard, which a statement reading the
-- transition table and participant_event_names together does not.
CREATE OR REPLACE FUNCTION events_record_names() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid;
  participants text[];
  names text[];
  firsts text[];
BEGIN
  -- Each pair keeps the event that recorded it (the statement's lowest id
  -- of the pair), which the event log reads as the one that counted.
  -- One sort for the three arrays: aggregates take their rows in the
  -- order of the sorted subquery they read.
  FOR current_tenant, participants, names, firsts IN
    SELECT d.tenant_id, array_agg(d.participant_id), array_agg(d.name), array_agg(d.first_id)
      FROM (SELECT n.tenant_id, n.participant_id, n.name, min(n.id) AS first_id FROM new_events n
            GROUP BY n.tenant_id, n.participant_id, n.name
            ORDER BY n.tenant_id, n.participant_id, n.name) d
     GROUP BY d.tenant_id
  LOOP
    INSERT INTO participant_event_names (tenant_id, participant_id, name, first_event_id)
    SELECT current_tenant, u.participant_id, u.name, u.first_id
      FROM unnest(participants, names, firsts) WITH ORDINALITY AS u(participant_id, name, first_id, i)
     WHERE (SELECT true FROM participant_event_names p
            WHERE p.tenant_id = current_tenant AND p.participant_id = u.participant_id AND p.name = u.name
            LIMIT 1) IS NULL
     ORDER BY u.i
    ON CONFLICT DO NOTHING;
  END LOOP;
  RETURN NULL;
END
$$;
