-- An erased participant stays erased beyond their own row: no keyed hash
-- of where they were seen from (participant_clients) and no recipient of an
-- invitation they send is recorded for them again, by anyone
-- (functions/erased_participant_guard.sql, the triggers
-- participant_clients_erased_guard and invitations_erased_host_guard,
-- applied after this file). An upsert or a claim under an erased
-- participant's pseudonym that brings a client is refused
-- (participant_erased), and the widget records nothing for them.

-- +goose Up
-- Hashes recorded for an erased participant before this rule (an upsert or
-- a claim under the pseudonym, the widget) are deleted, as their erasure
-- deleted the earlier ones.
DELETE FROM participant_clients c
 USING participants p
 WHERE p.tenant_id = c.tenant_id AND p.id = c.participant_id AND p.erased_at IS NOT NULL;
