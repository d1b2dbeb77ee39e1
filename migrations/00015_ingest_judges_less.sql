-- Ingestion judges only what an event can move (issue 9).
--
-- An event whose name is no quest step of any version of any campaign of the
-- tenant (a page view, say) cannot move any invitation, now or under a
-- concurrent claim or migration: those judge from the quest steps, and its
-- name is in none of them. Such events are stored and answered, and their
-- guests are neither locked nor judged. Every other event is judged exactly
-- as before (lock the guest, lock all its open invitations by (host, id),
-- judge each), so the races the old path was proven against stay closed.
--
-- The answer per input row comes from what the insert returned; only rows
-- whose idempotency key was already taken look the stored event up.

-- +goose Up
-- "Is this name a quest step anywhere in the tenant?", asked per event.
CREATE INDEX campaign_version_steps_by_event ON campaign_version_steps (tenant_id, event_name);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ingest_events(
  p_participants text[], p_names text[], p_keys text[], p_occurred_at timestamptz[], p_properties jsonb[])
RETURNS TABLE (ord integer, event_id text, status text)
LANGUAGE plpgsql
-- Custom plans were re-made on every call (measured: ~40% of a single
-- event's server time); the generic plans are as good for these statements.
SET plan_cache_mode = force_generic_plan
SET search_path = public, pg_temp
AS $$
DECLARE
  -- Read once, rather than in every statement and column default below.
  current_tenant uuid := app_tenant_id();
  n integer := cardinality(p_names);
  new_ids text[];
  stored_ids text[];
  judged text[];
  guest text;
  open_ids text[];
  open_id text;
BEGIN
  IF cardinality(p_participants) <> n OR cardinality(p_keys) <> n
     OR cardinality(p_occurred_at) <> n OR cardinality(p_properties) <> n THEN
    RAISE EXCEPTION 'ingest_events: the input arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  new_ids := ARRAY(SELECT new_sorted_id('evt') FROM generate_series(1, n));

  -- Rows are inserted in key order here and below, so that two batches
  -- racing on the same participants or keys wait for each other in the same
  -- order instead of deadlocking.
  INSERT INTO participants (tenant_id, external_id)
  SELECT DISTINCT current_tenant, i.external_id
  FROM unnest(p_participants, p_names) AS i(external_id, name)
  WHERE EXISTS (SELECT 1 FROM event_definitions d WHERE d.tenant_id = current_tenant AND d.name = i.name AND NOT d.builtin)
    AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.tenant_id = current_tenant AND p.external_id = i.external_id)
  ORDER BY i.external_id
  ON CONFLICT (tenant_id, external_id) DO NOTHING;

  -- The first row of each idempotency key in the batch is the candidate; a
  -- key already stored (or stored concurrently) makes it a no-op. The guests
  -- to judge are those with a stored event whose name is a quest step
  -- somewhere in the tenant.
  WITH input AS (
    SELECT i.*, row_number() OVER (PARTITION BY i.key ORDER BY i.ord) AS nth_of_key
    FROM unnest(new_ids, p_participants, p_names, p_keys, p_occurred_at, p_properties)
         WITH ORDINALITY AS i(new_id, external_id, name, key, occurred_at, properties, ord)
  ), inserted AS (
    INSERT INTO events (tenant_id, id, participant_id, name, idempotency_key, occurred_at, properties)
    SELECT current_tenant, i.new_id, p.id, i.name, i.key, coalesce(i.occurred_at, now()), coalesce(i.properties, '{}')
    FROM input i
    JOIN participants p ON p.tenant_id = current_tenant AND p.external_id = i.external_id
    JOIN event_definitions d ON d.tenant_id = current_tenant AND d.name = i.name AND NOT d.builtin
    WHERE i.key IS NULL OR i.nth_of_key = 1
    ORDER BY i.key, i.ord
    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
    RETURNING id, participant_id, name
  )
  SELECT array_agg(id),
         array_agg(DISTINCT participant_id ORDER BY participant_id)
           FILTER (WHERE EXISTS (SELECT 1 FROM campaign_version_steps s
                                 WHERE s.tenant_id = current_tenant AND s.event_name = inserted.name))
  INTO stored_ids, judged
  FROM inserted;
  stored_ids := coalesce(stored_ids, '{}');

  -- Lock order, the same in every transaction: the guests (shared), then all
  -- their open invitations by (host, id), and only then, while judging in
  -- that order, the hosts' completion counters. Concurrent batches wait for
  -- each other instead of deadlocking.
  IF judged IS NOT NULL THEN
    FOREACH guest IN ARRAY judged LOOP
      PERFORM lock_guest(guest, false);
    END LOOP;
    open_ids := ARRAY(
      SELECT inv.id FROM invitations inv
      WHERE inv.tenant_id = current_tenant AND inv.guest_id = ANY (judged) AND inv.completed_at IS NULL
      ORDER BY inv.host_id, inv.id
      FOR UPDATE);
    FOREACH open_id IN ARRAY open_ids LOOP
      PERFORM evaluate_invitation(open_id);
    END LOOP;
  END IF;

  -- One answer per input row. Rows stored now are known by their new id;
  -- only a taken key needs the stored event, found by its unique key.
  RETURN QUERY
  SELECT i.ord::integer,
         CASE WHEN d.name IS NULL OR d.builtin THEN NULL
              WHEN i.new_id = ANY (stored_ids) THEN i.new_id ELSE e.id END,
         CASE
           WHEN d.name IS NULL THEN 'unknown_event'
           WHEN d.builtin THEN 'reserved_event'
           WHEN i.new_id = ANY (stored_ids) THEN 'created'
           WHEN e.participant_id = p.id AND e.name = i.name
                AND e.properties = coalesce(i.properties, '{}')
                AND (i.occurred_at IS NULL OR e.occurred_at = i.occurred_at) THEN 'duplicate'
           ELSE 'idempotency_key_reused'
         END
  FROM unnest(new_ids, p_participants, p_names, p_keys, p_occurred_at, p_properties)
       WITH ORDINALITY AS i(new_id, external_id, name, key, occurred_at, properties, ord)
  LEFT JOIN event_definitions d ON d.tenant_id = current_tenant AND d.name = i.name
  LEFT JOIN LATERAL (
    SELECT p.id FROM participants p
    WHERE i.key IS NOT NULL AND NOT (i.new_id = ANY (stored_ids))
      AND p.tenant_id = current_tenant AND p.external_id = i.external_id) p ON true
  LEFT JOIN LATERAL (
    SELECT e.id, e.participant_id, e.name, e.properties, e.occurred_at FROM events e
    WHERE i.key IS NOT NULL AND NOT (i.new_id = ANY (stored_ids))
      AND e.tenant_id = current_tenant AND e.idempotency_key = i.key) e ON true
  ORDER BY i.ord;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX campaign_version_steps_by_event;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ingest_events(
  p_participants text[], p_names text[], p_keys text[], p_occurred_at timestamptz[], p_properties jsonb[])
RETURNS TABLE (ord integer, event_id text, status text)
LANGUAGE plpgsql
-- Custom plans were re-made on every call (measured: ~40% of a single
-- event's server time); the generic plans are as good for these statements.
SET plan_cache_mode = force_generic_plan
SET search_path = public, pg_temp
AS $$
DECLARE
  n integer := cardinality(p_names);
  new_ids text[];
  guests text[];
  guest text;
  open_ids text[];
  open_id text;
BEGIN
  IF cardinality(p_participants) <> n OR cardinality(p_keys) <> n
     OR cardinality(p_occurred_at) <> n OR cardinality(p_properties) <> n THEN
    RAISE EXCEPTION 'ingest_events: the input arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  new_ids := ARRAY(SELECT new_id('evt') FROM generate_series(1, n));

  -- Rows are inserted in key order here and below, so that two batches
  -- racing on the same participants or keys wait for each other in the same
  -- order instead of deadlocking.
  INSERT INTO participants (external_id)
  SELECT DISTINCT i.external_id
  FROM unnest(p_participants, p_names) AS i(external_id, name)
  WHERE EXISTS (SELECT 1 FROM event_definitions d WHERE d.tenant_id = app_tenant_id() AND d.name = i.name AND NOT d.builtin)
    AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.tenant_id = app_tenant_id() AND p.external_id = i.external_id)
  ORDER BY i.external_id
  ON CONFLICT (tenant_id, external_id) DO NOTHING;

  -- The first row of each idempotency key in the batch is the candidate; a
  -- key already stored (or stored concurrently) makes it a no-op.
  WITH input AS (
    SELECT i.*, row_number() OVER (PARTITION BY i.key ORDER BY i.ord) AS nth_of_key
    FROM unnest(new_ids, p_participants, p_names, p_keys, p_occurred_at, p_properties)
         WITH ORDINALITY AS i(new_id, external_id, name, key, occurred_at, properties, ord)
  ), inserted AS (
    INSERT INTO events (id, participant_id, name, idempotency_key, occurred_at, properties)
    SELECT i.new_id, p.id, i.name, i.key, coalesce(i.occurred_at, now()), coalesce(i.properties, '{}')
    FROM input i
    JOIN participants p ON p.tenant_id = app_tenant_id() AND p.external_id = i.external_id
    JOIN event_definitions d ON d.tenant_id = app_tenant_id() AND d.name = i.name AND NOT d.builtin
    WHERE i.key IS NULL OR i.nth_of_key = 1
    ORDER BY i.key, i.ord
    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
    RETURNING participant_id
  )
  SELECT array_agg(DISTINCT participant_id ORDER BY participant_id) INTO guests FROM inserted;

  -- Lock order, the same in every transaction: the guests (shared), then all
  -- their open invitations by (host, id), and only then, while judging in
  -- that order, the hosts' completion counters. Concurrent batches wait for
  -- each other instead of deadlocking.
  FOREACH guest IN ARRAY coalesce(guests, '{}') LOOP
    PERFORM lock_guest(guest, false);
  END LOOP;
  open_ids := ARRAY(
    SELECT inv.id FROM invitations inv
    WHERE inv.tenant_id = app_tenant_id() AND inv.guest_id = ANY (guests) AND inv.completed_at IS NULL
    ORDER BY inv.host_id, inv.id
    FOR UPDATE);
  FOREACH open_id IN ARRAY open_ids LOOP
    PERFORM evaluate_invitation(open_id);
  END LOOP;

  RETURN QUERY
  SELECT i.ord::integer,
         CASE WHEN d.name IS NULL OR d.builtin THEN NULL WHEN i.key IS NULL THEN i.new_id ELSE e.id END,
         CASE
           WHEN d.name IS NULL THEN 'unknown_event'
           WHEN d.builtin THEN 'reserved_event'
           WHEN i.key IS NULL OR e.id = i.new_id THEN 'created'
           WHEN e.participant_id = p.id AND e.name = i.name
                AND e.properties = coalesce(i.properties, '{}')
                AND (i.occurred_at IS NULL OR e.occurred_at = i.occurred_at) THEN 'duplicate'
           ELSE 'idempotency_key_reused'
         END
  FROM unnest(new_ids, p_participants, p_names, p_keys, p_occurred_at, p_properties)
       WITH ORDINALITY AS i(new_id, external_id, name, key, occurred_at, properties, ord)
  LEFT JOIN event_definitions d ON d.tenant_id = app_tenant_id() AND d.name = i.name
  LEFT JOIN participants p ON p.tenant_id = app_tenant_id() AND p.external_id = i.external_id
  LEFT JOIN events e ON e.tenant_id = app_tenant_id() AND e.idempotency_key = i.key
  ORDER BY i.ord;
END
$$;
-- +goose StatementEnd
