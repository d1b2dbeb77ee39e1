-- Events, and the quest engine that judges invitations from them.

-- +goose Up
-- rule 4: events are append-only; an idempotency key is stored once per tenant.
CREATE TABLE events (
  tenant_id       uuid NOT NULL DEFAULT app_tenant_id(),
  id              text NOT NULL DEFAULT new_id('evt'),
  participant_id  text NOT NULL,
  name            text NOT NULL,
  idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  received_at     timestamptz NOT NULL DEFAULT now(),
  properties      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT event_idempotency_key_once UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
  CONSTRAINT event_defined FOREIGN KEY (tenant_id, name) REFERENCES event_definitions (tenant_id, name)
);
-- Quest progress asks "has this guest ever sent this event?".
CREATE INDEX events_by_participant_name ON events (tenant_id, participant_id, name);
SELECT enable_tenant_rls('events');
GRANT SELECT, INSERT ON events TO tandem_app;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- rule 5: progress is the length of the longest prefix of the version's steps
-- for which the guest has at least one event. It depends only on the steps and
-- on the set of the guest's event names, so arrival order and duplicates
-- cannot change it, and an event for a later step that came early counts as
-- soon as the steps before it are done.
-- +goose StatementBegin
CREATE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE plpgsql STABLE
-- plpgsql rather than sql: its plan is cached for the session instead of
-- being made again in every transaction (measured: most of its cost).
AS $$
BEGIN
  RETURN (
    SELECT coalesce(min(s.position) FILTER (WHERE NOT s.done) - 1, count(*))::integer
    FROM (SELECT s.position,
                 EXISTS (SELECT 1 FROM events e
                         WHERE e.tenant_id = app_tenant_id() AND e.participant_id = p_guest_id AND e.name = s.event_name) AS done
          FROM campaign_version_steps s
          WHERE s.tenant_id = app_tenant_id() AND s.campaign_id = p_campaign_id AND s.version = p_version) s);
END
$$;
-- +goose StatementEnd

-- Keeps a claim and an event of one guest from missing each other: each
-- would otherwise judge the invitation without the other's uncommitted row.
-- Event ingestion takes the guest's lock shared (events of one guest need no
-- turn-taking: the invitation's row lock orders their judging); a claim
-- takes it exclusive. Whichever comes second waits, then sees the first.
-- +goose StatementBegin
CREATE FUNCTION lock_guest(p_guest_id text, p_exclusive boolean) RETURNS void
LANGUAGE plpgsql VOLATILE
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

-- Re-judges one claimed invitation from the stored events, under its row
-- lock, so that two events of one guest arriving together are judged one
-- after the other (its callers hold the guest's lock, see lock_guest).
-- Completing it fires the completion numbering (before update) and the
-- rewards (after update). Ended campaigns judge no more.
-- +goose StatementBegin
CREATE FUNCTION evaluate_invitation(p_invitation_id text) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  inv invitations;
  done integer;
  steps integer;
BEGIN
  SELECT * INTO inv FROM invitations
  WHERE tenant_id = app_tenant_id() AND id = p_invitation_id
  FOR UPDATE;
  IF NOT FOUND OR inv.guest_id IS NULL OR inv.completed_at IS NOT NULL THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM campaigns c WHERE c.tenant_id = inv.tenant_id AND c.id = inv.campaign_id AND c.status = 'ended') THEN
    RETURN;
  END IF;
  done := quest_progress(inv.campaign_id, inv.version, inv.guest_id);
  SELECT count(*) INTO steps FROM campaign_version_steps s
  WHERE s.tenant_id = inv.tenant_id AND s.campaign_id = inv.campaign_id AND s.version = inv.version;
  IF done = inv.progress AND done < steps THEN
    RETURN;
  END IF;
  UPDATE invitations
  SET progress = done,
      completed_at = CASE WHEN done = steps THEN now() END
  WHERE tenant_id = inv.tenant_id AND id = inv.id;
END
$$;
-- +goose StatementEnd

-- Stores a batch of events for the current tenant and re-judges the open
-- invitations of every guest who got a new event. One statement serves the
-- single-event and the batch endpoints. Per input row (1-based ord) it
-- returns the stored event id and a status:
--   created                  stored now
--   duplicate                the idempotency key was seen before with the same event
--   idempotency_key_reused   the key was seen before with a different event (nothing stored)
--   unknown_event            no such event definition (nothing stored)
--   reserved_event           a built-in event only Tandem records (nothing stored)
-- Participants unknown so far are created from their external id.
-- +goose StatementBegin
CREATE FUNCTION ingest_events(
  p_participants text[], p_names text[], p_keys text[], p_occurred_at timestamptz[], p_properties jsonb[])
RETURNS TABLE (ord integer, event_id text, status text)
LANGUAGE plpgsql
-- Custom plans were re-made on every call (measured: ~40% of a single
-- event's server time); the generic plans are as good for these statements.
SET plan_cache_mode = force_generic_plan
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

-- A claim is an event too: the built-in invitation_claimed, recorded for the
-- guest when the invitation is claimed, after which the invitation is judged
-- at once (a quest of just [invitation_claimed] completes on the claim). It
-- carries no idempotency key: the claim happens once, and a key would sit in
-- the tenant's own key space.
-- +goose StatementBegin
CREATE FUNCTION invitations_after_claim() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM lock_guest(NEW.guest_id, true);
  INSERT INTO events (tenant_id, participant_id, name, occurred_at, properties)
  VALUES (NEW.tenant_id, NEW.guest_id, 'invitation_claimed', NEW.claimed_at, jsonb_build_object('invitation', NEW.id));
  PERFORM evaluate_invitation(NEW.id);
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER invitations_after_claim_insert AFTER INSERT ON invitations
  FOR EACH ROW WHEN (NEW.guest_id IS NOT NULL)
  EXECUTE FUNCTION invitations_after_claim();
CREATE TRIGGER invitations_after_claim_update AFTER UPDATE OF guest_id ON invitations
  FOR EACH ROW WHEN (OLD.guest_id IS NULL AND NEW.guest_id IS NOT NULL)
  EXECUTE FUNCTION invitations_after_claim();

-- +goose Down
DROP TRIGGER invitations_after_claim_update ON invitations;
DROP TRIGGER invitations_after_claim_insert ON invitations;
DROP FUNCTION invitations_after_claim();
DROP FUNCTION ingest_events(text[], text[], text[], timestamptz[], jsonb[]);
DROP FUNCTION evaluate_invitation(text);
DROP FUNCTION lock_guest(text, boolean);
DROP FUNCTION quest_progress(text, integer, text);
DROP TABLE events;
