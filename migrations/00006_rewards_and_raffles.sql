-- Reward tokens, their issue on completion, and raffle draws over tickets.

-- +goose Up
CREATE TABLE raffle_draws (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  id          text NOT NULL DEFAULT new_id('rfl'),
  campaign_id text NOT NULL,
  winners     integer NOT NULL CHECK (winners BETWEEN 1 AND 10000),
  -- The seed of the deterministic draw: with the entries below, anyone can
  -- draw again and get the same winners.
  seed        text NOT NULL CHECK (seed ~ '^[0-9a-f]{64}$'),
  drawn_by    text NOT NULL,
  drawn_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, id, campaign_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);
CREATE TABLE raffle_entries (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  draw_id        text NOT NULL,
  participant_id text NOT NULL,
  tickets        bigint NOT NULL CHECK (tickets >= 1),
  PRIMARY KEY (tenant_id, draw_id, participant_id),
  FOREIGN KEY (tenant_id, draw_id) REFERENCES raffle_draws (tenant_id, id),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id)
);
CREATE TABLE raffle_winners (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  draw_id        text NOT NULL,
  place          integer NOT NULL CHECK (place >= 1),
  participant_id text NOT NULL,
  PRIMARY KEY (tenant_id, draw_id, place),
  -- A participant wins at most once per draw, and only if they had an entry.
  UNIQUE (tenant_id, draw_id, participant_id),
  FOREIGN KEY (tenant_id, draw_id, participant_id) REFERENCES raffle_entries (tenant_id, draw_id, participant_id)
);
SELECT enable_tenant_rls('raffle_draws');
SELECT enable_tenant_rls('raffle_entries');
SELECT enable_tenant_rls('raffle_winners');
GRANT SELECT, INSERT ON raffle_draws, raffle_entries, raffle_winners TO tandem_app;

-- An exchange token: the right to exchange for the reward it snapshots.
CREATE TABLE reward_tokens (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  id             text NOT NULL DEFAULT new_id('rwd'),
  participant_id text NOT NULL,
  campaign_id    text NOT NULL,
  invitation_id  text NOT NULL,
  reason         text NOT NULL CHECK (reason IN ('guest', 'host_milestone')),
  -- For host rewards: the milestone number n (the host's nth completion).
  milestone      integer CHECK (milestone >= 1),
  description    text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  kind           text NOT NULL CHECK (kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom')),
  quantity       integer NOT NULL CHECK (quantity >= 1),
  -- rule 8: money is integer minor units with an ISO currency code, both or neither.
  amount         bigint CHECK (amount >= 0),
  currency       text CHECK (currency ~ '^[A-Z]{3}$'),
  status         text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'redeemed', 'voided', 'expired')),
  issued_at      timestamptz NOT NULL DEFAULT now(),
  status_changed_at timestamptz,
  raffle_draw_id text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, invitation_id) REFERENCES invitations (tenant_id, id),
  -- A ticket is spent only by a draw of its own campaign.
  CONSTRAINT reward_raffle_same_campaign FOREIGN KEY (tenant_id, raffle_draw_id, campaign_id) REFERENCES raffle_draws (tenant_id, id, campaign_id),
  CONSTRAINT reward_money CHECK ((amount IS NULL) = (currency IS NULL)),
  CONSTRAINT reward_reason_milestone CHECK ((reason = 'guest') = (milestone IS NULL)),
  CONSTRAINT reward_status_time CHECK ((status = 'issued') = (status_changed_at IS NULL)),
  CONSTRAINT reward_raffle_ticket CHECK (raffle_draw_id IS NULL OR (kind = 'ticket' AND status = 'redeemed'))
);
-- rule 6: one guest reward per invitation, one host reward per (campaign, host, milestone).
CREATE UNIQUE INDEX reward_tokens_one_guest_reward ON reward_tokens (tenant_id, invitation_id) WHERE reason = 'guest';
CREATE UNIQUE INDEX reward_tokens_one_host_milestone ON reward_tokens (tenant_id, campaign_id, participant_id, milestone) WHERE reason = 'host_milestone';
CREATE INDEX reward_tokens_by_participant ON reward_tokens (tenant_id, participant_id, issued_at);
CREATE INDEX reward_tokens_queue ON reward_tokens (tenant_id, status, issued_at);
SELECT enable_tenant_rls('reward_tokens');
GRANT SELECT, INSERT, UPDATE (status, status_changed_at, raffle_draw_id) ON reward_tokens TO tandem_app;
