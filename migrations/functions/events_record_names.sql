-- Each new (participant, event name) pair of a statement's events is
-- recorded once (participant_event_names). Most pairs were seen before (a
-- guest's page views, repeated steps), so every event's pair is probed
-- first, and only the pairs not found are grouped and sorted: a seen pair
-- costs one read, not its share of a sort of the whole statement's events
-- too. The new ones are inserted in key order so that two batches never
-- wait on each other's pairs crosswise. One tenant at a time, with the
-- events passed as arrays: on Citus a trigger on a shard may run only
-- statements that route to one shard, which a statement reading the
-- transition table and participant_event_names together does not.
CREATE OR REPLACE FUNCTION events_record_names() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid;
  participants text[];
  names text[];
  ids text[];
  new_participants text[];
  new_names text[];
  new_ids text[];
BEGIN
  FOR current_tenant, participants, names, ids IN
    SELECT n.tenant_id, array_agg(n.participant_id), array_agg(n.name), array_agg(n.id)
      FROM new_events n
     GROUP BY n.tenant_id
  LOOP
    -- A single event's pair is inserted as VALUES, whose conflict check is
    -- the probe: on Citus that is a statement routed to the tenant's shard,
    -- where an INSERT … SELECT goes through intermediate results (about 1
    -- ms of a single event's 5.7 on the worker).
    IF cardinality(ids) = 1 THEN
      INSERT INTO participant_event_names (tenant_id, participant_id, name, first_event_id)
      VALUES (current_tenant, participants[1], names[1], ids[1])
      ON CONFLICT DO NOTHING;
      CONTINUE;
    END IF;
    -- Each new pair keeps the event that recorded it (the statement's
    -- lowest id of the pair), which the event log reads as the one that
    -- counted. They are found first and inserted only when there are any:
    -- on Citus an INSERT … SELECT goes through intermediate results, about
    -- 1 ms of the worker's time even when it inserts nothing.
    SELECT array_agg(n.participant_id), array_agg(n.name), array_agg(n.first_event_id)
      INTO new_participants, new_names, new_ids
      FROM (SELECT u.participant_id, u.name, min(u.id) AS first_event_id
              FROM unnest(participants, names, ids) AS u(participant_id, name, id)
             WHERE (SELECT true FROM participant_event_names p
                    WHERE p.tenant_id = current_tenant AND p.participant_id = u.participant_id AND p.name = u.name
                    LIMIT 1) IS NULL
             GROUP BY u.participant_id, u.name) n;
    CONTINUE WHEN new_ids IS NULL;
    INSERT INTO participant_event_names (tenant_id, participant_id, name, first_event_id)
    SELECT current_tenant, u.participant_id, u.name, u.first_event_id
      FROM unnest(new_participants, new_names, new_ids) AS u(participant_id, name, first_event_id)
     ORDER BY u.participant_id, u.name
    ON CONFLICT DO NOTHING;
  END LOOP;
  RETURN NULL;
END
$$;
