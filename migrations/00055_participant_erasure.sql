-- Erasure: the one path by which personal data leaves append-only rows.
--
-- A participant's erasure (erase_participant) and retention's blanking of
-- old event properties (erase_event_properties) are SECURITY DEFINER
-- functions owned by a role of their own, tandem_eraser. The guards of the
-- append-only tables (events, audit_log) and of the fields that never
-- change (an invitation's recipient, a rendered webhook body) let exactly
-- one change through, and only when it is made as tandem_eraser: an event's
-- properties blanked and its idempotency key dropped; an audit entry's
-- before and after with the person's values taken out; a recipient
-- blanked; a webhook body dropped (rendered again from the scrubbed
-- snapshot). tandem_app is not a member of tandem_eraser, so it can only
-- call the functions, which change nothing else.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tandem_eraser') THEN
    CREATE ROLE tandem_eraser NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
-- +goose StatementEnd
GRANT tandem_eraser TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tandem_eraser;

-- An erased participant keeps its row (the facts point at it) and says
-- when it was erased; the mark is set once, by erase_participant only
-- (tandem_app holds no UPDATE on the column).
ALTER TABLE participants ADD COLUMN erased_at timestamptz;

-- What the eraser's functions read and write. Forced RLS binds it like any
-- role: it sees the rows of the transaction's tenant only. Column grants
-- name exactly the fields erasure blanks; the guards (migrations/functions/
-- *_erasable.sql) say to what.
GRANT SELECT ON participants, invitations, events, reward_tokens, raffle_entries, raffle_winners,
  audit_log, webhook_messages, webhook_deliveries, webhook_attempts, api_idempotency, widget_tokens TO tandem_eraser;
GRANT UPDATE (external_id, email, phone, display_name, stripe_customer_id, updated_at, erased_at) ON participants TO tandem_eraser;
GRANT UPDATE (recipient) ON invitations TO tandem_eraser;
GRANT UPDATE (properties, idempotency_key) ON events TO tandem_eraser;
GRANT UPDATE (before, after) ON audit_log TO tandem_eraser;
GRANT UPDATE (object_id, snapshot, payload) ON webhook_messages TO tandem_eraser;
GRANT UPDATE (response, error) ON webhook_attempts TO tandem_eraser;
GRANT DELETE ON api_idempotency, widget_tokens TO tandem_eraser;

-- participant.erased joins the types an endpoint may subscribe to
-- (models.WebhookEventTypes keeps the same list), after those of
-- 00051_reward_review.sql.
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 22 AND events <@ ARRAY['*',
  'invitation.created', 'invitation.claimed', 'quest.progressed', 'invitation.completed', 'invitation.expired',
  'reward.issued', 'reward.redeemed', 'reward.voided', 'reward.expired',
  'reward.held', 'reward.approved', 'reward.rejected',
  'reward.fulfilled', 'reward.fulfilment_failed',
  'raffle.drawn', 'campaign.published', 'campaign.paused', 'campaign.ended',
  'participant.created', 'participant.updated', 'participant.erased']);
