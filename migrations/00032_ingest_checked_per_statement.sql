-- Ingestion checked per statement, not per row (issue 9, figure 4).
--
-- Profiles of 1,000-event batches found that most of what an event cost
-- beyond the reference's insert and update was work done per row that
-- needs doing once per statement, or once per new fact:
--   * the two foreign keys of events ran a query each per event: the
--     participant's, an index probe and a row lock (KEY SHARE, a WAL record
--     and a dirtied page per event); the definition's, a scan of a table of
--     a few rows, with the file's size read by a system call each time;
--   * the index on events (tenant, participant, name), which judging reads,
--     took an entry per event: a posting list rewritten on every repeat of
--     a name, a fifth of PostgreSQL's time under make bench's batches;
--   * "is this name defined?" and "is it a quest step?" were asked per row,
--     though a batch has a handful of names;
--   * each participant was looked up twice (does it exist, then its id);
--   * ON CONFLICT probed the idempotency key's index once more per row,
--     though a key is almost never taken;
--   * each new id drew a UUID of its own: about 2.5 µs per id, most of it
--     the random source's own locking and a getpid system call per draw
--     (OpenSSL's check for a fork).
-- A batch of 1,000 page views cost its backend 44–65 µs per event before
-- (make bench, one connection), and 17–22 after, against the reference
-- batch's 19–24. What is stored and answered does not change, and neither
-- does any rule: the events' foreign keys move to the set of names each
-- participant has sent, where each is checked once per new pair.

-- +goose Up

-- The names each participant has sent: one row per (participant, name),
-- written when an event first brings the pair. It answers judging's one
-- question about events ("has this guest ever sent X?", quest_state) in
-- place of the index on events (tenant, participant, name), which took an
-- entry per event: under make bench's batches it was a fifth of
-- PostgreSQL's time, a posting list rewritten on every repeat of a name.
-- A repeat now costs one probe of this key and writes nothing.
--
-- Its foreign keys carry the events' own rules (an event belongs to a
-- participant of its tenant and has a name its tenant defined), under the
-- names of the constraints they replace on events, which checked every
-- event: a pair is checked when it is new, and a pair that exists was, and
-- still holds, because the same foreign keys keep the participant and the
-- definition it names from being deleted or re-keyed (and a TRUNCATE …
-- CASCADE of either reaches this table, which refuses it).
CREATE TABLE participant_event_names (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  participant_id text NOT NULL,
  name           text NOT NULL,
  PRIMARY KEY (tenant_id, participant_id, name),
  CONSTRAINT events_tenant_id_participant_id_fkey FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
  CONSTRAINT event_defined FOREIGN KEY (tenant_id, name) REFERENCES event_definitions (tenant_id, name)
);
SELECT enable_tenant_rls('participant_event_names');
-- Whoever may record an event may record that its participant sent its
-- name, and no more: the reserved name only through an event the referee
-- records, and nothing is ever changed or taken back.
GRANT SELECT, INSERT ON participant_event_names TO tandem_app, tandem_referee;
CREATE POLICY participant_event_names_not_reserved ON participant_event_names AS RESTRICTIVE FOR INSERT TO tandem_app
  WITH CHECK (name <> 'invitation_claimed');
CREATE TRIGGER participant_event_names_append_only BEFORE UPDATE OR DELETE ON participant_event_names
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER participant_event_names_no_truncate BEFORE TRUNCATE ON participant_event_names
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
INSERT INTO participant_event_names (tenant_id, participant_id, name)
SELECT DISTINCT tenant_id, participant_id, name FROM events;

-- Every statement that stores events records their new pairs, once per
-- statement, in key order (so that two statements bringing the same new
-- pairs wait for each other instead of deadlocking); a pair that exists is
-- left alone without a write.
-- +goose StatementBegin
CREATE FUNCTION events_record_names() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO participant_event_names (tenant_id, participant_id, name)
  SELECT DISTINCT n.tenant_id, n.participant_id, n.name FROM new_events n
  ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
ALTER TABLE events DROP CONSTRAINT events_tenant_id_participant_id_fkey;
ALTER TABLE events DROP CONSTRAINT event_defined;
CREATE TRIGGER events_record_names AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION events_record_names();
DROP INDEX events_by_participant_name;
-- record_claim_event (00012) still asks the events themselves whether a
-- claim is recorded: the claims, and only they, keep an index by guest.
CREATE INDEX events_claimed_by_guest ON events (tenant_id, participant_id) WHERE name = 'invitation_claimed';

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_state(p_campaign_id text, p_version integer, p_guest_id text, OUT progress integer, OUT steps integer)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
-- plpgsql rather than sql: its plan is cached for the session.
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  SELECT coalesce(min(s.position) FILTER (WHERE NOT s.done) - 1, count(*))::integer, count(*)::integer
  INTO progress, steps
  FROM (SELECT s.position,
               EXISTS (SELECT 1 FROM participant_event_names e
                       WHERE e.tenant_id = current_tenant AND e.participant_id = p_guest_id AND e.name = s.event_name) AS done
        FROM campaign_version_steps s
        WHERE s.tenant_id = current_tenant AND s.campaign_id = p_campaign_id AND s.version = p_version) s;
END
$$;
-- +goose StatementEnd

-- n time-ordered ids (00014, 00030): the clock is read once for all of
-- them, and their 80 random bits are SHA-256 of one UUID drawn per call
-- (122 random bits, the secret) and the id's number. Unpredictable without
-- the secret, as before, and unique as a hash of distinct inputs is, at a
-- fraction of a UUID's cost per id (1,000 ids: about 2 ms instead of 4).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_sorted_ids(prefix text, n integer) RETURNS text[]
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
DECLARE
  head text := prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0');
  secret bytea := uuid_send(gen_random_uuid());
BEGIN
  RETURN ARRAY(SELECT head || substr(encode(sha256(secret || int4send(i)), 'hex'), 1, 20) FROM generate_series(1, n) AS i);
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
  defined text[];         -- the batch's names that may be stored: defined, not built in
  participant_ids text[]; -- per input row; NULL for an unknown participant of an undefined name
  stored_ids text[];
  stored_participants text[];
  stored_names text[];
  steps text[];           -- the stored names that are a quest step somewhere in the tenant
  judged text[];
  open_ids text[];
  open_id text;
BEGIN
  IF cardinality(p_participants) <> n OR cardinality(p_keys) <> n
     OR cardinality(p_occurred_at) <> n OR cardinality(p_properties) <> n THEN
    RAISE EXCEPTION 'ingest_events: the input arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  new_ids := new_sorted_ids('evt', n);

  -- A batch has a handful of names: each is looked up once, not per event.
  defined := ARRAY(
    SELECT u.name FROM (SELECT DISTINCT x.name FROM unnest(p_names) AS x(name)) u
    WHERE EXISTS (SELECT 1 FROM event_definitions d
                  WHERE d.tenant_id = current_tenant AND d.name = u.name AND NOT d.builtin));

  -- Each participant is looked up once. Those not known yet are created on
  -- their first mention, for rows whose event is defined, in key order (as
  -- the events below) so that two batches racing on the same participants
  -- wait for each other instead of deadlocking; then they are looked up
  -- again. Most events come from known participants, and skip the insert
  -- and the plan-limit trigger it fires once per statement (00025).
  participant_ids := ARRAY(
    SELECT p.id FROM unnest(p_participants) WITH ORDINALITY AS i(external_id, ord)
    LEFT JOIN LATERAL (SELECT p.id FROM participants p
                       WHERE p.tenant_id = current_tenant AND p.external_id = i.external_id LIMIT 1) p ON true
    ORDER BY i.ord);
  IF EXISTS (SELECT 1 FROM unnest(participant_ids, p_names) AS i(id, name) WHERE i.id IS NULL AND i.name = ANY (defined)) THEN
    INSERT INTO participants (tenant_id, external_id)
    SELECT DISTINCT current_tenant, i.external_id
    FROM unnest(p_participants, p_names, participant_ids) AS i(external_id, name, id)
    WHERE i.id IS NULL AND i.name = ANY (defined)
    ORDER BY i.external_id
    ON CONFLICT (tenant_id, external_id) DO NOTHING;
    participant_ids := ARRAY(
      SELECT p.id FROM unnest(p_participants) WITH ORDINALITY AS i(external_id, ord)
      LEFT JOIN LATERAL (SELECT p.id FROM participants p
                         WHERE p.tenant_id = current_tenant AND p.external_id = i.external_id LIMIT 1) p ON true
      ORDER BY i.ord);
  END IF;

  -- The first row of each idempotency key in the batch is the candidate.
  -- A key is almost never taken, so the rows are inserted plainly, one
  -- probe of the key's index each; only when a key is taken (a retry, or a
  -- concurrent batch with the same key, waited for) is the insert undone
  -- and made again with ON CONFLICT DO NOTHING, which probes the index once
  -- more per row to skip the taken keys. Both insert in key order.
  BEGIN
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
      RETURNING id, participant_id, name
    )
    SELECT array_agg(id), array_agg(participant_id), array_agg(name)
    INTO stored_ids, stored_participants, stored_names
    FROM inserted;
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

  -- The guests to judge are those with a stored event whose name is a
  -- quest step somewhere in the tenant: asked once per name, after the
  -- insert, so that it sees at least what the insert's snapshot saw.
  steps := ARRAY(
    SELECT u.name FROM (SELECT DISTINCT x.name FROM unnest(stored_names) AS x(name)) u
    WHERE EXISTS (SELECT 1 FROM campaign_version_steps s WHERE s.tenant_id = current_tenant AND s.event_name = u.name));
  IF cardinality(steps) > 0 THEN
    judged := ARRAY(
      SELECT DISTINCT x.participant_id FROM unnest(stored_participants, stored_names) AS x(participant_id, name)
      WHERE x.name = ANY (steps) ORDER BY x.participant_id);
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
           WHEN e.participant_id = i.participant_id AND e.name = i.name
                AND e.properties = coalesce(i.properties, '{}')
                AND (i.occurred_at IS NULL OR e.occurred_at = i.occurred_at) THEN 'duplicate'
           ELSE 'idempotency_key_reused'
         END
  FROM (SELECT u.*, s.id IS NOT NULL AS stored
        FROM unnest(new_ids, participant_ids, p_names, p_keys, p_occurred_at, p_properties)
             WITH ORDINALITY AS u(new_id, participant_id, name, key, occurred_at, properties, ord)
        LEFT JOIN unnest(stored_ids) AS s(id) ON s.id = u.new_id) i
  LEFT JOIN event_definitions d ON d.tenant_id = current_tenant AND d.name = i.name
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
DROP TRIGGER events_record_names ON events;
DROP FUNCTION events_record_names();
DROP TABLE participant_event_names;
DROP INDEX events_claimed_by_guest;
CREATE INDEX events_by_participant_name ON events (tenant_id, participant_id, name);
ALTER TABLE events ADD CONSTRAINT events_tenant_id_participant_id_fkey
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id);
ALTER TABLE events ADD CONSTRAINT event_defined FOREIGN KEY (tenant_id, name) REFERENCES event_definitions (tenant_id, name);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_state(p_campaign_id text, p_version integer, p_guest_id text, OUT progress integer, OUT steps integer)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
-- plpgsql rather than sql: its plan is cached for the session.
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  SELECT coalesce(min(s.position) FILTER (WHERE NOT s.done) - 1, count(*))::integer, count(*)::integer
  INTO progress, steps
  FROM (SELECT s.position,
               EXISTS (SELECT 1 FROM events e
                       WHERE e.tenant_id = current_tenant AND e.participant_id = p_guest_id AND e.name = s.event_name) AS done
        FROM campaign_version_steps s
        WHERE s.tenant_id = current_tenant AND s.campaign_id = p_campaign_id AND s.version = p_version) s;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_sorted_ids(prefix text, n integer) RETURNS text[]
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
