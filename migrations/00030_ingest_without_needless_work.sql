-- Ingestion without needless work per call (issue 9).
--
-- Profiles of 1,000-event batches (backend CPU time per call, and
-- pg_stat_statements under make bench) found costs that did nothing for
-- the rules:
--   * the answer per input row searched the array of stored ids once per
--     row (quadratic), and its generic plan joined the tenant's whole events
--     table: 100–200 ms per 1,000 events, growing with the table;
--   * the open invitations of the judged guests were found by a generic
--     plan that read all the tenant's open invitations (below);
--   * every event id came from a call of a LANGUAGE sql function, run as a
--     query of its own per row;
--   * LANGUAGE sql helpers called once per statement were parsed and planned
--     on each call (below);
--   * a batch's judged guests were locked one call per guest (lock_guests);
--   * the participants insert ran on every call, and with it the plan-limit
--     trigger it fires once per statement (00025), though most events come
--     from participants already known.
-- The same batch now takes about a quarter of the time and no longer grows
-- with the events table. Nothing about what is stored or answered changes.

-- +goose Up
-- The schema's helpers in PL/pgSQL. A LANGUAGE sql function that pins its
-- search_path (every function does, 00012) is never inlined, and PostgreSQL
-- then parses and plans its body anew for every statement that calls it;
-- a PL/pgSQL function keeps its plans for the session. Measured on the
-- hottest one, new_sorted_id: about half the backend time per call.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ BEGIN RETURN NULLIF(current_setting('app.tenant_id', true), '')::uuid; END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_id(prefix text) RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ BEGIN RETURN prefix || '_' || replace(gen_random_uuid()::text, '-', ''); END $$;
-- +goose StatementEnd

-- n time-ordered ids (00014): the clock is read once for all of them, so a
-- batch's ids share their first 48 bits and differ in their 80 random ones.
-- +goose StatementBegin
CREATE FUNCTION new_sorted_ids(prefix text, n integer) RETURNS text[]
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
DECLARE
  head text := prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0');
BEGIN
  -- 80 random bits: a v4 UUID's hex without its version and variant digits.
  -- OFFSET 0 keeps the subquery whole: one UUID per id, whose three
  -- slices are taken from the same value.
  RETURN ARRAY(SELECT head || substr(r, 1, 12) || substr(r, 14, 3) || substr(r, 18, 5)
               FROM (SELECT replace(gen_random_uuid()::text, '-', '') FROM generate_series(1, n) OFFSET 0) AS g(r));
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_sorted_id(prefix text) RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ BEGIN RETURN (new_sorted_ids(prefix, 1))[1]; END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$ BEGIN RETURN (quest_state(p_campaign_id, p_version, p_guest_id)).progress; END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION campaign_is_live(c campaigns) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN c.status = 'active'
     AND (c.starts_at IS NULL OR c.starts_at <= now())
     AND (c.ends_at IS NULL OR now() < c.ends_at);
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rollup_shard() RETURNS smallint
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$ BEGIN RETURN (pg_current_xact_id()::text::bigint % 16)::smallint; END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION utc_day(t timestamptz) RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ BEGIN RETURN (t AT TIME ZONE 'UTC')::date; END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n) ORDER BY n);
END
$$;
-- +goose StatementEnd

-- The guests' locks of lock_guest, many at once: one statement instead of
-- a call per guest (a batch of 1,000 quest-step events judges up to 1,000
-- guests). They are taken in the order given; callers pass the guests
-- sorted, so that two batches wait for each other instead of deadlocking.
-- +goose StatementBegin
CREATE FUNCTION lock_guests(p_guest_ids text[], p_exclusive boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant text := app_tenant_id()::text;
BEGIN
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(current_tenant || '/' || g.id, 0))
    FROM unnest(p_guest_ids) WITH ORDINALITY AS g(id, n) ORDER BY g.n;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(current_tenant || '/' || g.id, 0))
    FROM unnest(p_guest_ids) WITH ORDINALITY AS g(id, n) ORDER BY g.n;
  END IF;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION lock_guest(p_guest_id text, p_exclusive boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$ BEGIN PERFORM lock_guests(ARRAY[p_guest_id], p_exclusive); END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN QUERY
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL
  UNION ALL
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = m.tenant_id AND l.campaign_id = m.campaign_id AND l.version = m.version)));
END
$$;
-- +goose StatementEnd

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
  open_ids text[];
  open_id text;
BEGIN
  IF cardinality(p_participants) <> n OR cardinality(p_keys) <> n
     OR cardinality(p_occurred_at) <> n OR cardinality(p_properties) <> n THEN
    RAISE EXCEPTION 'ingest_events: the input arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  new_ids := new_sorted_ids('evt', n);

  -- Participants on first mention. Most events come from participants
  -- already known: then one probe each finds that, and the insert, with the
  -- plan-limit trigger it fires once per statement (00025: about 0.2 ms of
  -- a single event's backend time), is skipped. Rows are inserted in key
  -- order here and below, so that two batches racing on the same
  -- participants or keys wait for each other in the same order instead of
  -- deadlocking.
  IF EXISTS (SELECT 1 FROM unnest(p_participants) AS i(external_id)
             WHERE NOT EXISTS (SELECT 1 FROM participants p
                               WHERE p.tenant_id = current_tenant AND p.external_id = i.external_id)) THEN
    INSERT INTO participants (tenant_id, external_id)
    SELECT DISTINCT current_tenant, i.external_id
    FROM unnest(p_participants, p_names) AS i(external_id, name)
    WHERE EXISTS (SELECT 1 FROM event_definitions d WHERE d.tenant_id = current_tenant AND d.name = i.name AND NOT d.builtin)
      AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.tenant_id = current_tenant AND p.external_id = i.external_id)
    ORDER BY i.external_id
    ON CONFLICT (tenant_id, external_id) DO NOTHING;
  END IF;

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
    PERFORM lock_guests(judged, false);
    -- A join on the guests, not guest_id = ANY (judged): the generic plan
    -- of that read every open invitation of the tenant in host order and
    -- searched the array for each (0.6 s for a batch of 1,000 guests).
    open_ids := ARRAY(
      SELECT inv.id FROM unnest(judged) AS g(guest_id)
      JOIN invitations inv ON inv.tenant_id = current_tenant AND inv.guest_id = g.guest_id AND inv.completed_at IS NULL
      ORDER BY inv.host_id, inv.id
      FOR UPDATE OF inv);
    FOREACH open_id IN ARRAY open_ids LOOP
      PERFORM evaluate_invitation(open_id);
    END LOOP;
  END IF;

  -- One answer per input row. When every row was stored (the usual case)
  -- each is "created" under its new id.
  IF cardinality(stored_ids) = n THEN
    RETURN QUERY SELECT i.ord::integer, i.new_id, 'created'::text FROM unnest(new_ids) WITH ORDINALITY AS i(new_id, ord);
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
           WHEN e.participant_id = p.id AND e.name = i.name
                AND e.properties = coalesce(i.properties, '{}')
                AND (i.occurred_at IS NULL OR e.occurred_at = i.occurred_at) THEN 'duplicate'
           ELSE 'idempotency_key_reused'
         END
  FROM (SELECT u.*, s.id IS NOT NULL AS stored
        FROM unnest(new_ids, p_participants, p_names, p_keys, p_occurred_at, p_properties)
             WITH ORDINALITY AS u(new_id, external_id, name, key, occurred_at, properties, ord)
        LEFT JOIN unnest(stored_ids) AS s(id) ON s.id = u.new_id) i
  LEFT JOIN event_definitions d ON d.tenant_id = current_tenant AND d.name = i.name
  LEFT JOIN LATERAL (
    SELECT p.id FROM participants p
    WHERE i.key IS NOT NULL AND NOT i.stored
      AND p.tenant_id = current_tenant AND p.external_id = i.external_id
    LIMIT 1) p ON true
  LEFT JOIN LATERAL (
    SELECT e.id, e.participant_id, e.name, e.properties, e.occurred_at FROM events e
    WHERE i.key IS NOT NULL AND NOT i.stored
      AND e.tenant_id = current_tenant AND e.idempotency_key = i.key
    LIMIT 1) e ON true
  ORDER BY i.ord;
END
$$;
-- +goose StatementEnd

-- +goose Down
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text)
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL
  UNION ALL
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = m.tenant_id AND l.campaign_id = m.campaign_id AND l.version = m.version)))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT prefix || '_' || replace(gen_random_uuid()::text, '-', '') $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_sorted_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
         || substr(r, 1, 12) || substr(r, 14, 3) || substr(r, 18, 5)
  FROM replace(gen_random_uuid()::text, '-', '') AS r
$$;
-- +goose StatementEnd
DROP FUNCTION new_sorted_ids(text, integer);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$ SELECT (quest_state(p_campaign_id, p_version, p_guest_id)).progress $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION campaign_is_live(c campaigns) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT c.status = 'active'
     AND (c.starts_at IS NULL OR c.starts_at <= now())
     AND (c.ends_at IS NULL OR now() < c.ends_at)
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rollup_shard() RETURNS smallint
LANGUAGE sql VOLATILE SET search_path = public, pg_temp
AS $$ SELECT (pg_current_xact_id()::text::bigint % 16)::smallint $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION utc_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n) ORDER BY n)
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION lock_guest(p_guest_id text, p_exclusive boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  key bigint := hashtextextended(app_tenant_id()::text || '/' || p_guest_id, 0);
BEGIN
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(key);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(key);
  END IF;
END
$$;
-- +goose StatementEnd
DROP FUNCTION lock_guests(text[], boolean);
