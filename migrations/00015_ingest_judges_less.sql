-- Ingestion judges only what an event can move.
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
