-- A webhook message carries its object as the change that recorded it left
-- it: webhook_record writes the snapshot in the change's transaction, and
-- the delivery only wraps it. Before, the object was read when the message
-- was first sent, so a claim committed before that send showed in
-- invitation.created.

-- +goose Up
-- NULL for a message whose object cannot move after it (a raffle draw is
-- append-only, read at send), for test messages, and for messages recorded
-- before this column (read at send, as they were).
ALTER TABLE webhook_messages ADD COLUMN snapshot jsonb;

-- A snapshot is one JSON object: the object in the API's shape.
ALTER TABLE webhook_messages ADD CONSTRAINT webhook_snapshot_object
  CHECK (snapshot IS NULL OR jsonb_typeof(snapshot) = 'object');

-- webhook_record (the referee) reads a reward and its fulfilment to
-- snapshot them; it already read campaigns, invitations and participants.
GRANT SELECT ON reward_tokens, reward_fulfilments TO tandem_referee;

-- The types an endpoint may subscribe to (models.WebhookEventTypes keeps
-- the same list): campaign.paused and campaign.ended join them.
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 13 AND events <@ ARRAY['*',
  'invitation.created', 'invitation.claimed', 'quest.progressed', 'invitation.completed',
  'reward.issued', 'reward.redeemed', 'reward.voided', 'reward.expired',
  'raffle.drawn', 'campaign.published', 'campaign.paused', 'campaign.ended']);
