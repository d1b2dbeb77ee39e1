-- Invitation expiry as a change a trigger can see: an invitation's status is
-- derived from expires_at, which changes no row, so a sweep (package jobs)
-- marks each pending manual invitation past it, once, in expired_at, and the
-- invitations_webhooks trigger records invitation.expired from that change.

-- +goose Up
-- NULL until the sweep marks the invitation; invitations_before_insert and
-- invitations_before_update keep it so (invitation_expiry_marked_once): set
-- once, on a pending manual invitation past expires_at, to a time between
-- expires_at and now, and never changed or cleared after.
ALTER TABLE invitations ADD COLUMN expired_at timestamptz;

-- The sweep's question, per tenant: which pending invitations are past
-- expires_at and not yet marked. Claimed and referrer-code invitations
-- (guest set) and marked ones leave the index.
CREATE INDEX invitations_due_expiry ON invitations (tenant_id, expires_at) WHERE guest_id IS NULL AND expired_at IS NULL;

-- Which tenants have invitations to mark: the sweep's one cross-tenant
-- question, answered by the definer's narrow view (tenant ids only,
-- through tenants_with_due_invitations); the sweep then marks each tenant's
-- invitations inside that tenant's transaction.
GRANT SELECT (tenant_id, guest_id, expires_at, expired_at) ON invitations TO tandem_definer;
CREATE POLICY definer_finds_due_invitations ON invitations FOR SELECT TO tandem_definer
  USING (guest_id IS NULL AND expired_at IS NULL);

-- The types an endpoint may subscribe to (models.WebhookEventTypes keeps
-- the same list), now with invitation.expired.
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 18 AND events <@ ARRAY['*',
  'invitation.created', 'invitation.claimed', 'quest.progressed', 'invitation.completed', 'invitation.expired',
  'reward.issued', 'reward.redeemed', 'reward.voided', 'reward.expired',
  'reward.fulfilled', 'reward.fulfilment_failed',
  'raffle.drawn', 'campaign.published', 'campaign.paused', 'campaign.ended',
  'participant.created', 'participant.updated']);
