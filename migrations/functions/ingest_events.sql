CREATE OR REPLACE FUNCTION ingest_events(p_tenant_id uuid,
  p_participants text[], p_names text[], p_keys text[], p_occurred_at timestamptz[], p_properties jsonb[])
RETURNS TABLE (ord integer, event_id text, status text, effects jsonb)
LANGUAGE plpgsql
-- Custom plans were re-made on every call (measured: ~40% of a single
-- event's server time); the generic plans are as good for these statements.
SET plan_cache_mode = force_generic_plan
SET search_path = public, pg_temp
AS $$
DECLARE
  -- The tenant comes as an argument: on Citus it is what delegates the call
  -- to the worker holding the tenant (always/citus.sql), so that the whole
  -- batch, its locks and its triggers run there, in one local transaction.
  -- It must be the transaction's own.
  current_tenant uuid := p_tenant_id;
  n integer := cardinality(p_names);
  new_ids text[];
  names text[];           -- the batch's names, each once
  defined text[];         -- the batch's names that may be stored: defined, not built in
  one_participant text;   -- a single event's
  participant_ids text[]; -- per input row; NULL for an unknown participant of an undefined name
  inserted bigint;
  stored_ids text[];
  stored_participants text[];
  stored_names text[];
  steps_before text[];    -- the defined names that were a quest step before the insert
  recorded boolean[];     -- per input row: its (participant, step name) pair was recorded before the insert
  fresh text[];           -- guests without a recorded pair for a step name of theirs, before the insert
  steps text[];           -- the stored names that are a quest step somewhere in the tenant
  judged text[];
  open_ids text[];
  repeats jsonb[];        -- per name of steps: the effect of an event whose pair was recorded before
  effect_ids text[];      -- the stored events of a step name whose pair was new, and their effects
  effect_values jsonb[];
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'ingest_events: tenant % is not the transaction''s', p_tenant_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF cardinality(p_participants) <> n OR cardinality(p_keys) <> n
     OR cardinality(p_occurred_at) <> n OR cardinality(p_properties) <> n THEN
    RAISE EXCEPTION 'ingest_events: the input arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  new_ids := new_sorted_ids('evt', n);

  -- A batch has a handful of names: each is looked up once, not per event.
  -- The names' lookups (here and the quest steps' below) read one table
  -- each, by the tenant and a key: on Citus such a statement is a "fast
  -- path" query, whose plans (its own and its shard's) the worker keeps
  -- from call to call (always/citus.sql), where a join or a subquery is
  -- planned twice on every call, about 250 µs of a single event's time
  -- each. The names are made distinct first: an index scan sorts the array
  -- of an = ANY, by the names' collation. (The steps' lookups read every
  -- campaign version's step of a name, where EXISTS stopped at the first:
  -- a few index entries more.)
  names := ARRAY(SELECT DISTINCT x.name FROM unnest(p_names) AS x(name));
  SELECT coalesce(array_agg(d.name), '{}') INTO defined
  FROM event_definitions d
  WHERE d.tenant_id = current_tenant AND d.name = ANY (names) AND NOT d.builtin;

  -- Each participant is looked up once. Those not known yet are created on
  -- their first mention, for rows whose event is defined, in key order (as
  -- the events below) so that two batches racing on the same participants
  -- wait for each other instead of deadlocking; then they are looked up
  -- again. Most events come from known participants, and skip the insert
  -- and the plan-limit trigger it fires once per statement (00025). A
  -- single event's participant is read by its key alone, a fast-path query
  -- on Citus (above); a batch's are probed one by one, not through an =
  -- ANY, whose sort of a thousand external ids cost a batched event 9 µs.
  FOR pass IN 1..2 LOOP
    IF n = 1 THEN
      SELECT p.id INTO one_participant FROM participants p
      WHERE p.tenant_id = current_tenant AND p.external_id = p_participants[1];
      participant_ids := ARRAY[one_participant];
    ELSE
      participant_ids := ARRAY(
        SELECT p.id FROM unnest(p_participants) WITH ORDINALITY AS i(external_id, ord)
        LEFT JOIN LATERAL (SELECT p.id FROM participants p
                           WHERE p.tenant_id = current_tenant AND p.external_id = i.external_id LIMIT 1) p ON true
        ORDER BY i.ord);
    END IF;
    EXIT WHEN pass = 2 OR NOT EXISTS (
      SELECT 1 FROM unnest(participant_ids, p_names) AS i(id, name) WHERE i.id IS NULL AND i.name = ANY (defined));
    INSERT INTO participants (tenant_id, external_id)
    SELECT DISTINCT current_tenant, i.external_id
    FROM unnest(p_participants, p_names, participant_ids) AS i(external_id, name, id)
    WHERE i.id IS NULL AND i.name = ANY (defined)
    ORDER BY i.external_id
    ON CONFLICT (tenant_id, external_id) DO NOTHING;
  END LOOP;

  -- Judging reads the set of names each guest has sent (quest_state reads
  -- participant_event_names), so an event whose (guest, name) pair is
  -- already recorded cannot move any invitation: the pair's first event had
  -- its guest judged when it was stored, or its name was no step then, and
  -- whatever made it a step (publishing, a migration) or claimed an
  -- invitation since judged with the pair in sight. Only guests with a step
  -- name not yet recorded are judged below. Asked before the insert, whose
  -- trigger records the new pairs; a pair another transaction is recording
  -- meanwhile is not seen, and its guest is judged by both, which is safe.
  SELECT coalesce(array_agg(DISTINCT s.event_name), '{}') INTO steps_before
  FROM campaign_version_steps s
  WHERE s.tenant_id = current_tenant AND s.event_name = ANY (defined);
  -- The answer per row is kept: a row whose pair was recorded repeats it,
  -- which is its whole effect (below).
  IF cardinality(steps_before) > 0 AND n = 1 THEN
    -- A single event's name is then the step: its pair is read by its key
    -- alone (a fast-path query on Citus).
    PERFORM 1 FROM participant_event_names e
    WHERE e.tenant_id = current_tenant AND e.participant_id = participant_ids[1] AND e.name = p_names[1];
    recorded := ARRAY[FOUND];
    fresh := CASE WHEN recorded[1] THEN '{}' ELSE participant_ids END;
  ELSIF cardinality(steps_before) > 0 THEN
    recorded := ARRAY(
      SELECT CASE WHEN i.name = ANY (steps_before) THEN
               EXISTS (SELECT 1 FROM participant_event_names e
                       WHERE e.tenant_id = current_tenant AND e.participant_id = i.id AND e.name = i.name)
             ELSE false END
      FROM unnest(participant_ids, p_names) WITH ORDINALITY AS i(id, name, ord)
      ORDER BY i.ord);
    fresh := ARRAY(
      SELECT DISTINCT i.id FROM unnest(participant_ids, p_names, recorded) AS i(id, name, recorded)
      WHERE i.name = ANY (steps_before) AND NOT i.recorded
      ORDER BY i.id);
  ELSE
    recorded := array_fill(false, ARRAY[n]);
  END IF;

  -- The defined names that are no step yet are locked (shared) until the
  -- commit, before the insert: publishing a version that makes one of them a
  -- step waits for this transaction, whose events it would otherwise judge
  -- without (campaign_versions_await_events). Steps are not locked: their
  -- new pairs are judged here. The keys and their order are
  -- lock_event_names's; the locks are taken here, not through it: the call
  -- of a function with its own settings cost a single page view about 60 µs
  -- of backend CPU (about 420 instead of 360, make bench -quick on one
  -- connection, twice each), taken inline the difference is within noise.
  IF cardinality(steps_before) < cardinality(defined) THEN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('event_name:' || current_tenant::text || '/' || u.name, 0))
    FROM unnest(defined) AS u(name) WHERE u.name <> ALL (steps_before) ORDER BY u.name;
  END IF;

  -- The first row of each idempotency key in the batch is the candidate.
  -- A key is almost never taken, so the rows are inserted plainly, one
  -- probe of the key's index each; only when a key is taken (a retry, or a
  -- concurrent batch with the same key, waited for) is the insert undone
  -- and made again with ON CONFLICT DO NOTHING, which probes the index once
  -- more per row to skip the taken keys. Both insert in key order. A
  -- single event (the API's /v1/events, when it is not grouped with
  -- others: tenants.EventGroups) is inserted as VALUES first: on Citus that
  -- is a statement routed to the tenant's shard, where an INSERT … SELECT
  -- is run by Citus itself, reading the rows and copying them to the shard
  -- (it cost the worker about 3 ms of a single event's 5.7); on one node it
  -- skips the window and the sort. The plain insert returns nothing, and
  -- the rows stored are told from the input (all candidates, or the insert
  -- failed; usually every row, which its count tells): Citus passes the
  -- rows an INSERT … SELECT returns through intermediate results, which
  -- cost the worker about 1.3 ms more for a group of four events.
  BEGIN
    IF n = 1 THEN
      IF p_names[1] = ANY (defined) THEN
        INSERT INTO events (tenant_id, id, participant_id, name, idempotency_key, occurred_at, properties)
        VALUES (current_tenant, new_ids[1], participant_ids[1], p_names[1], p_keys[1],
                coalesce(p_occurred_at[1], now()), coalesce(p_properties[1], '{}'));
        stored_ids := new_ids;
        stored_participants := participant_ids;
        stored_names := p_names;
      END IF;
    ELSE
      WITH input AS (
        SELECT i.*, row_number() OVER (PARTITION BY i.key ORDER BY i.ord) AS nth_of_key
        FROM unnest(new_ids, participant_ids, p_names, p_keys, p_occurred_at, p_properties)
             WITH ORDINALITY AS i(new_id, participant_id, name, key, occurred_at, properties, ord)
        WHERE i.name = ANY (defined)
      )
      INSERT INTO events (tenant_id, id, participant_id, name, idempotency_key, occurred_at, properties)
      SELECT current_tenant, i.new_id, i.participant_id, i.name, i.key, coalesce(i.occurred_at, now()), coalesce(i.properties, '{}')
      FROM input i
      WHERE i.key IS NULL OR i.nth_of_key = 1
      ORDER BY i.key, i.ord;
      GET DIAGNOSTICS inserted = ROW_COUNT;
      IF inserted = n THEN
        stored_ids := new_ids;
        stored_participants := participant_ids;
        stored_names := p_names;
      ELSE
        SELECT array_agg(i.new_id), array_agg(i.participant_id), array_agg(i.name)
        INTO stored_ids, stored_participants, stored_names
        FROM (SELECT u.*, row_number() OVER (PARTITION BY u.key ORDER BY u.ord) AS nth_of_key
              FROM unnest(new_ids, participant_ids, p_names, p_keys) WITH ORDINALITY AS u(new_id, participant_id, name, key, ord)
              WHERE u.name = ANY (defined)) i
        WHERE i.key IS NULL OR i.nth_of_key = 1;
      END IF;
    END IF;
  EXCEPTION WHEN unique_violation THEN
    WITH input AS (
      SELECT i.*, row_number() OVER (PARTITION BY i.key ORDER BY i.ord) AS nth_of_key
      FROM unnest(new_ids, participant_ids, p_names, p_keys, p_occurred_at, p_properties)
           WITH ORDINALITY AS i(new_id, participant_id, name, key, occurred_at, properties, ord)
      WHERE i.name = ANY (defined)
    ), inserted AS (
      INSERT INTO events (tenant_id, id, participant_id, name, idempotency_key, occurred_at, properties)
      SELECT current_tenant, i.new_id, i.participant_id, i.name, i.key, coalesce(i.occurred_at, now()), coalesce(i.properties, '{}')
      FROM input i
      WHERE i.key IS NULL OR i.nth_of_key = 1
      ORDER BY i.key, i.ord
      ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
      RETURNING id, participant_id, name
    )
    SELECT array_agg(id), array_agg(participant_id), array_agg(name)
    INTO stored_ids, stored_participants, stored_names
    FROM inserted;
  END;
  stored_ids := coalesce(stored_ids, '{}');

  -- Which defined names are a quest step is asked again after the insert,
  -- so that it sees at least what the insert's snapshot saw: a name that
  -- became a step in between had no pairs asked about, and all the guests
  -- who sent it are judged. (A defined name none of whose events was
  -- stored, every key taken, matches no stored event below.)
  SELECT coalesce(array_agg(DISTINCT s.event_name), '{}') INTO steps
  FROM campaign_version_steps s
  WHERE s.tenant_id = current_tenant AND s.event_name = ANY (defined);
  judged := coalesce(fresh, '{}');
  IF EXISTS (SELECT 1 FROM unnest(steps) AS s(name) WHERE s.name <> ALL (steps_before)) THEN
    judged := ARRAY(
      SELECT g FROM unnest(judged) AS g
      UNION
      SELECT x.participant_id FROM unnest(stored_participants, stored_names) AS x(participant_id, name)
      WHERE x.name = ANY (steps) AND x.name <> ALL (steps_before)
      ORDER BY 1);
  END IF;
  IF cardinality(judged) > 0 THEN
    -- Lock order, the same in every transaction: the guests (shared), then
    -- all their open invitations by (host, id), and only then, while
    -- judging in that order, the hosts' completion counters. Concurrent
    -- batches wait for each other instead of deadlocking.
    PERFORM lock_guests(judged, false);
    -- A join on the guests, not guest_id = ANY (judged): the generic plan
    -- of that read every open invitation of the tenant in host order and
    -- searched the array for each (0.6 s for a batch of 1,000 guests).
    open_ids := ARRAY(
      SELECT inv.id FROM unnest(judged) AS g(guest_id)
      JOIN invitations inv ON inv.tenant_id = current_tenant AND inv.guest_id = g.guest_id AND inv.completed_at IS NULL
      ORDER BY inv.host_id, inv.id
      FOR UPDATE OF inv);
    -- Judged in one statement, in that order (evaluate_invitations): a
    -- statement per invitation cost each completion its own executor start
    -- and its own issuing insert (about half its CPU in a batch).
    PERFORM evaluate_invitations(open_ids);
  END IF;

  -- What each stored event of a step name did, read after judging. An event
  -- whose pair was recorded before repeats it and moved nothing: its effect
  -- is known without a read, the same for every repeat of a name, and made
  -- once a name (repeats are most step events: reading them through
  -- event_effects doubled PostgreSQL's time per batched event, and making
  -- the same JSON for each cost a repeat about 2 µs of the 20 it costs).
  -- The others, whose pair is new, event_effects judges from the rows: they
  -- are judged guests' events, so there are none when no guest was judged.
  -- An event of a name that is no step moved nothing, which the caller
  -- tells from its NULL (page views, the bulk of ingestion, cost no more).
  IF cardinality(steps) > 0 THEN
    repeats := ARRAY(SELECT jsonb_build_array(jsonb_build_object('type', 'repeated', 'step_name', s.name))
                     FROM unnest(steps) WITH ORDINALITY AS s(name, k) ORDER BY s.k);
  END IF;
  IF cardinality(judged) > 0 THEN
    SELECT array_agg(f.event_id), array_agg(f.effects)
    INTO effect_ids, effect_values
    FROM event_effects(current_tenant, ARRAY(
      SELECT x.id FROM unnest(new_ids, p_names, recorded) AS x(id, name, recorded)
      JOIN unnest(stored_ids) AS s(id) ON s.id = x.id
      WHERE x.name = ANY (steps) AND NOT x.recorded)) f;
  END IF;

  -- One answer per input row. When every row was stored (the usual case)
  -- each is "created" under its new id.
  IF cardinality(stored_ids) = n AND effect_ids IS NULL THEN
    RETURN QUERY SELECT i.ord::integer, i.new_id, 'created'::text, CASE WHEN i.recorded THEN repeats[array_position(steps, i.name)] END
    FROM unnest(new_ids, p_names, recorded) WITH ORDINALITY AS i(new_id, name, recorded, ord);
    RETURN;
  END IF;
  IF cardinality(stored_ids) = n THEN
    RETURN QUERY SELECT i.ord::integer, i.new_id, 'created'::text,
                        CASE WHEN i.recorded THEN repeats[array_position(steps, i.name)] ELSE f.effects END
    FROM unnest(new_ids, p_names, recorded) WITH ORDINALITY AS i(new_id, name, recorded, ord)
    LEFT JOIN unnest(effect_ids, effect_values) AS f(id, effects) ON f.id = i.new_id
    ORDER BY i.ord;
    RETURN;
  END IF;
  -- Otherwise the rows not stored look up why: an unknown or reserved name,
  -- or a taken key (then the stored event, by its unique key). The stored
  -- ones are found by a hash join on their ids, not a search of the array
  -- per row; LIMIT 1 keeps each lookup a probe of a unique index per row
  -- (without it the planner may join the tenant's whole events table).
  RETURN QUERY
  SELECT i.ord::integer,
         CASE WHEN d.name IS NULL OR d.builtin THEN NULL
              WHEN i.stored THEN i.new_id ELSE e.id END,
         CASE
           WHEN d.name IS NULL THEN 'unknown_event'
           WHEN d.builtin THEN 'reserved_event'
           WHEN i.stored THEN 'created'
           WHEN e.participant_id = i.participant_id AND e.name = i.name
                AND e.properties = coalesce(i.properties, '{}')
                AND (i.occurred_at IS NULL OR e.occurred_at = i.occurred_at) THEN 'duplicate'
           ELSE 'idempotency_key_reused'
         END,
         CASE WHEN i.stored AND i.recorded THEN repeats[array_position(steps, i.name)] ELSE f.effects END
  FROM (SELECT u.*, s.id IS NOT NULL AS stored
        FROM unnest(new_ids, participant_ids, p_names, p_keys, p_occurred_at, p_properties, recorded)
             WITH ORDINALITY AS u(new_id, participant_id, name, key, occurred_at, properties, recorded, ord)
        LEFT JOIN unnest(stored_ids) AS s(id) ON s.id = u.new_id) i
  LEFT JOIN event_definitions d ON d.tenant_id = current_tenant AND d.name = i.name
  LEFT JOIN unnest(effect_ids, effect_values) AS f(id, effects) ON i.stored AND f.id = i.new_id
  LEFT JOIN LATERAL (
    SELECT e.id, e.participant_id, e.name, e.properties, e.occurred_at FROM events e
    WHERE i.key IS NOT NULL AND NOT i.stored
      AND e.tenant_id = current_tenant AND e.idempotency_key = i.key
    LIMIT 1) e ON true
  ORDER BY i.ord;
END
$$;
