-- Webhook messages for participants (created, updated) and for a Stripe
-- reward's fulfilment (fulfilled, failed), recorded by the triggers of
-- participants and reward_fulfilments (migrations/triggers/).

-- +goose Up
-- The types an endpoint may subscribe to (models.WebhookEventTypes keeps
-- the same list).
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 17 AND events <@ ARRAY['*',
  'invitation.created', 'invitation.claimed', 'quest.progressed', 'invitation.completed',
  'reward.issued', 'reward.redeemed', 'reward.voided', 'reward.expired',
  'reward.fulfilled', 'reward.fulfilment_failed',
  'raffle.drawn', 'campaign.published', 'campaign.paused', 'campaign.ended',
  'participant.created', 'participant.updated']);
