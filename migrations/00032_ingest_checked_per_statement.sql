-- Ingestion checked per statement, not per row (make bench's batches of
-- 1,000 events).
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
INSERT INTO participant_event_names (tenant_id, participant_id, name)
SELECT DISTINCT tenant_id, participant_id, name FROM events;
ALTER TABLE events DROP CONSTRAINT events_tenant_id_participant_id_fkey;
ALTER TABLE events DROP CONSTRAINT event_defined;
DROP INDEX events_by_participant_name;
-- record_claim_event (00012) still asks the events themselves whether a
-- claim is recorded: the claims, and only they, keep an index by guest.
CREATE INDEX events_claimed_by_guest ON events (tenant_id, participant_id) WHERE name = 'invitation_claimed';
