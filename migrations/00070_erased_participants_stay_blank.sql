-- An erased participant stays erased: its contact fields (e-mail, phone,
-- display name) are never filled again. A participant upsert under its
-- old external id already finds nothing and creates a new participant, as
-- an event does (erasure gave the row a pseudonym); this holds the row
-- itself, whatever names it: an upsert under the pseudonym that brings
-- contact fields is refused (participant_erased), and so is any other
-- write. The Stripe customer is not a contact field: a reward earned
-- after the erasure may still be fulfilled through it.

-- +goose Up
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- A row an upsert filled again before this rule is blanked again first.
UPDATE participants SET email = NULL, phone = NULL, display_name = ''
 WHERE erased_at IS NOT NULL AND (email IS NOT NULL OR phone IS NOT NULL OR display_name <> '');

ALTER TABLE participants ADD CONSTRAINT participant_erased_stays_blank
  CHECK (erased_at IS NULL OR (email IS NULL AND phone IS NULL AND display_name = ''));
