-- Review before money moves: a reward token may be born held, and leaves
-- held only by a person's decision: approved (issued) or rejected (voided,
-- with a reason). Whether a token is born held is the schema's decision,
-- taken when the token is inserted from its version's review rules and the
-- risk recorded on its invitation (reward_tokens_issue_guard); the
-- transitions are reward_tokens_guard's; a held token has no fulfilment
-- (reward_tokens_fulfil, reward_fulfilments_guard) and cannot be redeemed,
-- expired or drawn.

-- +goose Up
-- A version's review rules, frozen with it like the quest (rule 3: the
-- published-version guard refuses every UPDATE of a published row).
--   review: off, no token is held; risky, the tokens of a referral whose
--   risk is at or above review_threshold are held; all, every token is.
--   block_high_risk: a claim whose risk is high is refused (claim_blocked).
-- (Each CHECK is added apart from its column: Citus adds no column with a
-- constraint to a table it already holds.)
ALTER TABLE campaign_versions
  ADD COLUMN review text NOT NULL DEFAULT 'off',
  ADD COLUMN review_threshold text NOT NULL DEFAULT 'medium',
  ADD COLUMN block_high_risk boolean NOT NULL DEFAULT false;
ALTER TABLE campaign_versions ADD CONSTRAINT campaign_versions_review_check CHECK (review IN ('off', 'risky', 'all'));
ALTER TABLE campaign_versions ADD CONSTRAINT campaign_versions_review_threshold_check
  CHECK (review_threshold IN ('medium', 'high'));
-- Blocking is part of reviewing: a version that reviews nothing blocks nothing.
ALTER TABLE campaign_versions ADD CONSTRAINT version_block_needs_review CHECK (NOT block_high_risk OR review <> 'off');

-- The risk a referral carries: its signals as the API recorded them at
-- claim and after, each {code, level, detail} (detail: the evidence, which
-- participant erasure may blank), and the level of the highest. NULL: no
-- signal. The level is derived from the signals (invitation_risk_level),
-- so no writer can record a signal and a lower level; invitations_risk
-- keeps the level from ever going down.
ALTER TABLE invitations ADD COLUMN risk_signals jsonb, ADD COLUMN risk_level text;
ALTER TABLE invitations ADD CONSTRAINT invitation_risk_signals CHECK (
  risk_signals IS NULL OR (jsonb_typeof(risk_signals) = 'array' AND jsonb_array_length(risk_signals) BETWEEN 1 AND 32
    AND NOT jsonb_path_exists(risk_signals,
      '$[*] ? (!exists(@.level ? (@ == "medium" || @ == "high")) || !exists(@.code ? (@.type() == "string")))')));
ALTER TABLE invitations ADD CONSTRAINT invitation_risk_level CHECK (
  risk_level IS NOT DISTINCT FROM CASE WHEN risk_signals @> '[{"level": "high"}]' THEN 'high'
                                       WHEN risk_signals @> '[{"level": "medium"}]' THEN 'medium' END);

-- held joins the statuses, before issued.
ALTER TABLE reward_tokens DROP CONSTRAINT reward_tokens_status_check;
ALTER TABLE reward_tokens ADD CONSTRAINT reward_tokens_status_check
  CHECK (status IN ('held', 'issued', 'redeemed', 'voided', 'expired'));
-- A held or issued token has not been settled: it has no settling time.
ALTER TABLE reward_tokens DROP CONSTRAINT reward_status_time;
ALTER TABLE reward_tokens ADD CONSTRAINT reward_status_time
  CHECK ((status IN ('held', 'issued')) = (status_changed_at IS NULL));
-- reviewed_at: when a person approved or rejected the held token (set by
-- reward_tokens_guard, never by the writer); review_reason: why it was
-- rejected. A held token has neither; a reason belongs to a rejection only.
ALTER TABLE reward_tokens ADD COLUMN reviewed_at timestamptz, ADD COLUMN review_reason text;
ALTER TABLE reward_tokens ADD CONSTRAINT reward_tokens_review_reason_check CHECK (length(review_reason) BETWEEN 1 AND 500);
ALTER TABLE reward_tokens ADD CONSTRAINT reward_review_shape CHECK (
  (status <> 'held' OR reviewed_at IS NULL)
  AND (review_reason IS NULL OR (status = 'voided' AND reviewed_at IS NOT NULL)));
-- The review queue: held tokens, oldest first.
CREATE INDEX reward_tokens_held ON reward_tokens (tenant_id, issued_at, id) WHERE status = 'held';
-- The app writes the reason with the rejection; the guard keeps it.
GRANT UPDATE (review_reason) ON reward_tokens TO tandem_app;

-- Held rewards on the dashboard beside issued ones: a held token counts
-- here until it is decided, then as issued (approved) or nowhere (rejected);
-- its sum is numeric, as the others are (00012_referee.sql).
ALTER TABLE campaign_reward_rollups ADD COLUMN held bigint NOT NULL DEFAULT 0,
  ADD COLUMN held_amount numeric NOT NULL DEFAULT 0;
ALTER TABLE campaign_reward_rollups ADD CONSTRAINT reward_rollup_held_money CHECK (currency <> '' OR held_amount = 0);

-- The types an endpoint may subscribe to (models.WebhookEventTypes keeps
-- the same list), now with the review's three.
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 21 AND events <@ ARRAY['*',
  'invitation.created', 'invitation.claimed', 'quest.progressed', 'invitation.completed', 'invitation.expired',
  'reward.issued', 'reward.redeemed', 'reward.voided', 'reward.expired',
  'reward.held', 'reward.approved', 'reward.rejected',
  'reward.fulfilled', 'reward.fulfilment_failed',
  'raffle.drawn', 'campaign.published', 'campaign.paused', 'campaign.ended',
  'participant.created', 'participant.updated']);
