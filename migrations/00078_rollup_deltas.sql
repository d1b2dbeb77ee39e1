-- +goose Up
-- The dashboard's rollups are summed once a statement, not once a row.
--
-- A statement that changes invitations or reward tokens adds what it changed
-- to their rollups as one delta per counter row (per campaign; per campaign
-- and day; per campaign, kind and currency), computed from its transition
-- tables: the sum over its new rows less the sum over its old ones. A batch
-- that completes a thousand quests then bumps a handful of counters, where a
-- row trigger bumped four per completion (about a third of its cost).
--
-- The deltas still reach the rollups at commit, as they always did (00011:
-- the counters' row locks are taken after every lock the engine orders
-- itself, and held only while the transaction commits). A statement cannot
-- defer its own work, so it leaves its deltas here, and a deferred trigger
-- on each adds it to its rollup and deletes it: the table is empty outside
-- a transaction that is writing.
CREATE TABLE rollup_deltas (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  id          text NOT NULL DEFAULT new_id('rdl'),
  campaign_id text NOT NULL,
  -- Which rollup the delta goes to, and its key there:
  --   funnel  campaign_rollups (campaign)
  --   day     campaign_day_rollups (campaign, day)
  --   reward  campaign_reward_rollups (campaign, kind, currency)
  rollup      text NOT NULL,
  day         date,
  kind        text,
  currency    text,
  created     bigint NOT NULL DEFAULT 0,
  claimed     bigint NOT NULL DEFAULT 0,
  completed   bigint NOT NULL DEFAULT 0,
  reached     bigint[] NOT NULL DEFAULT '{}',
  issued            bigint NOT NULL DEFAULT 0,
  issued_quantity   numeric NOT NULL DEFAULT 0,
  issued_amount     numeric NOT NULL DEFAULT 0,
  redeemed          bigint NOT NULL DEFAULT 0,
  redeemed_quantity numeric NOT NULL DEFAULT 0,
  redeemed_amount   numeric NOT NULL DEFAULT 0,
  voided            bigint NOT NULL DEFAULT 0,
  voided_amount     numeric NOT NULL DEFAULT 0,
  expired           bigint NOT NULL DEFAULT 0,
  expired_amount    numeric NOT NULL DEFAULT 0,
  held              bigint NOT NULL DEFAULT 0,
  held_amount       numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  -- Each delta carries its rollup's key and nothing of another's.
  CONSTRAINT rollup_delta_keyed CHECK (CASE rollup
    WHEN 'funnel' THEN day IS NULL AND kind IS NULL AND currency IS NULL
    WHEN 'day' THEN day IS NOT NULL AND kind IS NULL AND currency IS NULL AND reached = '{}'
    WHEN 'reward' THEN day IS NULL AND kind IS NOT NULL AND currency IS NOT NULL
                       AND created = 0 AND claimed = 0 AND completed = 0 AND reached = '{}'
    ELSE false END)
);

SELECT enable_tenant_rls('rollup_deltas');
-- Only the referee's triggers write deltas (the rollup triggers and the
-- deferred one that applies them run as tandem_referee): tandem_app may
-- read them (its own transaction's, as every tenant table) but not write
-- them, so no statement of the app can add to the dashboard's counters or
-- drop what a statement left for them.
GRANT SELECT ON rollup_deltas TO tandem_app;
GRANT SELECT, INSERT, DELETE ON rollup_deltas TO tandem_referee;
