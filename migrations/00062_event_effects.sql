-- What an event did, told at read time from the rows ingestion already
-- writes (models.EventEffects, the console's event log, the API's event
-- response): a guest's step counts through the first event of its
-- (participant, name) pair, so the pair keeps which event that was.

-- +goose Up
-- On a database Citus already holds, the new column's DDL runs on every
-- shard, and Citus drops and creates the distributed function after it
-- only in sequential mode (migrations/README.md, "Writing for Citus").
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
-- The id of the event that recorded the pair, set by events_record_names
-- in the insert that records it (the lowest id of the pair in that
-- statement). Written only with a new pair, which ingestion inserts
-- anyway, so an event costs nothing more; pairs recorded before this
-- column existed keep NULL, which the effects read as "counted". No
-- foreign key: its check would probe events for every new pair on the hot
-- path, and a wrong value could only misword the log, never move a quest
-- (quest_state reads the pair's existence alone).
ALTER TABLE participant_event_names ADD COLUMN first_event_id text;

-- ingest_events now answers each event's effects: a return type that
-- CREATE OR REPLACE cannot change, so the old function goes first and
-- functions/ingest_events.sql creates the new one in the same migration.
DROP FUNCTION IF EXISTS ingest_events(uuid, text[], text[], text[], timestamptz[], jsonb[]);
