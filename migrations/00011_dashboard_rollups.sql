-- The dashboard's rollups: a campaign's funnel, daily claims and
-- completions, and reward totals per currency, kept as running counters so
-- that the dashboard reads a few dozen rows however many invitations and
-- events the campaign has (the goal: < 100 ms with a million invitations).
-- The queries that read them are in models/dashboard.go; bench/dashboard
-- measures them.
--
-- How they stay right. Every counter is a sum of deltas, and every delta is
-- written by a trigger on the base row that changed (invitations,
-- reward_tokens), whoever changed it: the API, the console, a migration, a
-- raffle. Nobody else may write them (rollup_maintained_by_triggers).
-- models/dashboard_test.go checks them against the same numbers computed
-- from the base tables after claims, out-of-order events, completions,
-- redemptions, voids and a migration.
--
-- Contention. One counter row per campaign would make every claim and every
-- event of that campaign wait for the one before it to commit. So each
-- campaign's counters are spread over 16 shards and summed when read. The
-- shard is the writing transaction's id mod 16, not a hash of the
-- invitation: a batch of 1,000 events then bumps one row per campaign
-- instead of all 16 (two concurrent batches meet with odds 1/16, not
-- always), and a transaction never locks two shards of one counter, so
-- shards cannot be locked in opposite orders. And the counters are bumped
-- at commit (DEFERRABLE INITIALLY DEFERRED constraint triggers): their row
-- locks are taken after every lock the engine orders itself (guests,
-- invitations, host counters) and held only while the transaction commits.
--
-- Cost on the hot path. The invitations trigger fires only when a claim,
-- the progress or the completion changes (its WHEN clause, evaluated
-- without calling any function): an event that advances nobody's quest
-- adds nothing.
--
-- Days are UTC dates.

-- +goose Up

-- A campaign's funnel since it began, per shard.
--   created     invitations created (in referrer-code mode, born claimed)
--   claimed     invitations claimed
--   completed   invitations whose quest is complete
--   reached[k]  claimed invitations whose progress is at least k, by step
--               position, whatever version they are pinned to
-- A shard's numbers mean nothing alone (a migration may take a step away in
-- another shard than the one that gave it): only sums over shards do.
CREATE TABLE campaign_rollups (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id text NOT NULL,
  shard       smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
  created     bigint NOT NULL DEFAULT 0,
  claimed     bigint NOT NULL DEFAULT 0,
  completed   bigint NOT NULL DEFAULT 0,
  reached     bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, campaign_id, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);

-- A campaign's invitations created, claimed and completed per UTC day (the
-- day of created_at, claimed_at, completed_at), per shard.
CREATE TABLE campaign_day_rollups (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id text NOT NULL,
  day         date NOT NULL,
  shard       smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
  created     bigint NOT NULL DEFAULT 0,
  claimed     bigint NOT NULL DEFAULT 0,
  completed   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, campaign_id, day, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);

-- A campaign's reward tokens per kind and currency, per shard: how many
-- were issued (ever) and how many moved on to each final status, with their
-- quantities and amounts. currency is '' for tokens without an amount
-- (their amounts stay 0): a key column cannot be NULL. Amounts are only
-- ever added within one currency (rule 8): the currency is part of the key.
CREATE TABLE campaign_reward_rollups (
  tenant_id         uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id       text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom')),
  currency          text NOT NULL CHECK (currency = '' OR currency ~ '^[A-Z]{3}$'),
  shard             smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
  issued            bigint NOT NULL DEFAULT 0,
  issued_quantity   bigint NOT NULL DEFAULT 0,
  issued_amount     bigint NOT NULL DEFAULT 0,
  redeemed          bigint NOT NULL DEFAULT 0,
  redeemed_quantity bigint NOT NULL DEFAULT 0,
  redeemed_amount   bigint NOT NULL DEFAULT 0,
  voided            bigint NOT NULL DEFAULT 0,
  voided_amount     bigint NOT NULL DEFAULT 0,
  expired           bigint NOT NULL DEFAULT 0,
  expired_amount    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, campaign_id, kind, currency, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  CONSTRAINT reward_rollup_money CHECK (currency <> '' OR (issued_amount = 0 AND redeemed_amount = 0
                                                           AND voided_amount = 0 AND expired_amount = 0))
);

SELECT enable_tenant_rls('campaign_rollups');
SELECT enable_tenant_rls('campaign_day_rollups');
SELECT enable_tenant_rls('campaign_reward_rollups');
-- INSERT and UPDATE because the triggers run as the role that changed the
-- base row; the guard below keeps that role from writing them directly.
GRANT SELECT, INSERT, UPDATE ON campaign_rollups, campaign_day_rollups, campaign_reward_rollups TO tandem_app;

-- Top hosts: a campaign's host counters by completions, read from the top.
-- Completing an invitation already updates its host's counter; this index
-- makes that update write one more index entry.
CREATE INDEX host_completions_top ON host_completions (tenant_id, campaign_id, completed DESC, host_id);
