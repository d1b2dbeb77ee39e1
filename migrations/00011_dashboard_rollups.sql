-- The dashboard's rollups: a campaign's funnel, daily claims and
-- completions, and reward totals per currency, kept as running counters so
-- that the dashboard reads a few dozen rows however many invitations and
-- events the campaign has (BRIEF §6: < 100 ms with a million invitations).
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

-- The shard a transaction writes its counters to: its id mod 16.
-- +goose StatementBegin
CREATE FUNCTION rollup_shard() RETURNS smallint
LANGUAGE sql VOLATILE
AS $$ SELECT (pg_current_xact_id()::text::bigint % 16)::smallint $$;
-- +goose StatementEnd

-- The UTC day of a timestamp.
-- +goose StatementBegin
CREATE FUNCTION utc_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;
-- +goose StatementEnd

-- What a progress change from p_from to p_to does to the funnel's step
-- counters: element k is +1 when the invitation now reaches step k and did
-- not before, -1 when it no longer does (a migration can move progress
-- back), 0 otherwise. Empty when nothing changes.
-- plpgsql: a loop of simple expressions costs a few microseconds, where
-- the same in SQL was planned again on every call (measured: 0.1 ms).
-- +goose StatementBegin
CREATE FUNCTION reached_delta(p_from integer, p_to integer) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
  d bigint[] := '{}';
BEGIN
  IF p_from = p_to THEN
    RETURN d;
  END IF;
  FOR k IN 1 .. greatest(p_from, p_to) LOOP
    d := d || ((k <= p_to)::integer - (k <= p_from)::integer)::bigint;
  END LOOP;
  RETURN d;
END
$$;
-- +goose StatementEnd

-- Element-wise sum of two counter arrays of any lengths.
-- +goose StatementBegin
CREATE FUNCTION add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n) ORDER BY n)
$$;
-- +goose StatementEnd

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

-- The rollups are written by the triggers below and by nothing else: a
-- write straight from a statement (trigger depth 0) is refused, so no code
-- path can make the dashboard disagree with the base tables. The WHEN
-- clause keeps the triggers' own writes free of any call.
-- +goose StatementBegin
CREATE FUNCTION rollups_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION '% is maintained by triggers only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'rollup_maintained_by_triggers', TABLE = TG_TABLE_NAME;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER campaign_rollups_guard BEFORE INSERT OR UPDATE ON campaign_rollups
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION rollups_guard();
CREATE TRIGGER campaign_day_rollups_guard BEFORE INSERT OR UPDATE ON campaign_day_rollups
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION rollups_guard();
CREATE TRIGGER campaign_reward_rollups_guard BEFORE INSERT OR UPDATE ON campaign_reward_rollups
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION rollups_guard();

-- An invitation was created, or its claim, progress or completion changed
-- (TG_OP tells which; OLD is the row before this one change, NEW after it):
-- add the difference to the campaign's counters.
--   created     +1 on insert, on the day of created_at
--   claimed     +1 when guest_id goes from NULL to set (or is set on
--               insert: a referrer-code claim), on the day of claimed_at
--   completed   +1 when completed_at goes from NULL to set, on its day
--   reached     reached_delta(old progress, new progress); an insert starts
--               from 0 (invitations_before_insert forces progress 0)
-- The schema never takes a claim or a completion back
-- (invitation_already_claimed, invitation_completed), so these are the only
-- moves; progress may move both ways (a migration re-judges it).
-- +goose StatementBegin
CREATE FUNCTION invitations_rollup() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  s smallint := rollup_shard();
  was_claimed boolean := TG_OP = 'UPDATE' AND OLD.guest_id IS NOT NULL;
  was_completed boolean := TG_OP = 'UPDATE' AND OLD.completed_at IS NOT NULL;
  d_created integer := (TG_OP = 'INSERT')::integer;
  d_claimed integer := (NEW.guest_id IS NOT NULL AND NOT was_claimed)::integer;
  d_completed integer := (NEW.completed_at IS NOT NULL AND NOT was_completed)::integer;
  d_reached bigint[] := reached_delta(CASE WHEN TG_OP = 'UPDATE' THEN OLD.progress ELSE 0 END, NEW.progress);
BEGIN
  INSERT INTO campaign_rollups AS r (tenant_id, campaign_id, shard, created, claimed, completed, reached)
  VALUES (NEW.tenant_id, NEW.campaign_id, s, d_created, d_claimed, d_completed, d_reached)
  ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE
  SET created = r.created + excluded.created,
      claimed = r.claimed + excluded.claimed,
      completed = r.completed + excluded.completed,
      reached = CASE WHEN excluded.reached = '{}' THEN r.reached ELSE add_counts(r.reached, excluded.reached) END;

  IF d_created + d_claimed + d_completed > 0 THEN
    INSERT INTO campaign_day_rollups AS r (tenant_id, campaign_id, day, shard, created, claimed, completed)
    SELECT NEW.tenant_id, NEW.campaign_id, c.day, s, sum(c.created), sum(c.claimed), sum(c.completed)
    FROM (VALUES (utc_day(NEW.created_at), d_created, 0, 0),
                 (utc_day(NEW.claimed_at), 0, d_claimed, 0),
                 (utc_day(NEW.completed_at), 0, 0, d_completed)) AS c(day, created, claimed, completed)
    WHERE c.created + c.claimed + c.completed > 0
    GROUP BY c.day
    ORDER BY c.day
    ON CONFLICT (tenant_id, campaign_id, day, shard) DO UPDATE
    SET created = r.created + excluded.created,
        claimed = r.claimed + excluded.claimed,
        completed = r.completed + excluded.completed;
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER invitations_rollup_insert AFTER INSERT ON invitations
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION invitations_rollup();
CREATE CONSTRAINT TRIGGER invitations_rollup_update AFTER UPDATE ON invitations
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.guest_id IS DISTINCT FROM NEW.guest_id OR OLD.progress IS DISTINCT FROM NEW.progress
                     OR OLD.completed_at IS DISTINCT FROM NEW.completed_at)
  EXECUTE FUNCTION invitations_rollup();

-- A reward token was issued (insert: issued +1 with its quantity and
-- amount), or left 'issued' for a final status (update: that status +1).
-- reward_tokens_guard lets a token change status once and never rewrites
-- its kind, quantity, amount or currency, so the key it counts under holds.
-- +goose StatementBegin
CREATE FUNCTION reward_tokens_rollup() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  issued integer := (TG_OP = 'INSERT')::integer;
  redeemed integer := (TG_OP = 'UPDATE' AND NEW.status = 'redeemed')::integer;
  voided integer := (TG_OP = 'UPDATE' AND NEW.status = 'voided')::integer;
  expired integer := (TG_OP = 'UPDATE' AND NEW.status = 'expired')::integer;
  amount bigint := coalesce(NEW.amount, 0);
BEGIN
  INSERT INTO campaign_reward_rollups AS r (tenant_id, campaign_id, kind, currency, shard,
    issued, issued_quantity, issued_amount, redeemed, redeemed_quantity, redeemed_amount,
    voided, voided_amount, expired, expired_amount)
  VALUES (NEW.tenant_id, NEW.campaign_id, NEW.kind, coalesce(NEW.currency, ''), rollup_shard(),
    issued, issued * NEW.quantity, issued * amount, redeemed, redeemed * NEW.quantity, redeemed * amount,
    voided, voided * amount, expired, expired * amount)
  ON CONFLICT (tenant_id, campaign_id, kind, currency, shard) DO UPDATE
  SET issued = r.issued + excluded.issued,
      issued_quantity = r.issued_quantity + excluded.issued_quantity,
      issued_amount = r.issued_amount + excluded.issued_amount,
      redeemed = r.redeemed + excluded.redeemed,
      redeemed_quantity = r.redeemed_quantity + excluded.redeemed_quantity,
      redeemed_amount = r.redeemed_amount + excluded.redeemed_amount,
      voided = r.voided + excluded.voided,
      voided_amount = r.voided_amount + excluded.voided_amount,
      expired = r.expired + excluded.expired,
      expired_amount = r.expired_amount + excluded.expired_amount;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER reward_tokens_rollup_insert AFTER INSERT ON reward_tokens
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION reward_tokens_rollup();
CREATE CONSTRAINT TRIGGER reward_tokens_rollup_update AFTER UPDATE ON reward_tokens
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.status = 'issued' AND NEW.status <> 'issued')
  EXECUTE FUNCTION reward_tokens_rollup();

-- Top hosts: a campaign's host counters by completions, read from the top.
-- Completing an invitation already updates its host's counter; this index
-- makes that update write one more index entry.
CREATE INDEX host_completions_top ON host_completions (tenant_id, campaign_id, completed DESC, host_id);

-- +goose Down
DROP INDEX host_completions_top;
DROP TRIGGER reward_tokens_rollup_update ON reward_tokens;
DROP TRIGGER reward_tokens_rollup_insert ON reward_tokens;
DROP FUNCTION reward_tokens_rollup();
DROP TRIGGER invitations_rollup_update ON invitations;
DROP TRIGGER invitations_rollup_insert ON invitations;
DROP FUNCTION invitations_rollup();
DROP TABLE campaign_reward_rollups;
DROP TABLE campaign_day_rollups;
DROP TABLE campaign_rollups;
DROP FUNCTION rollups_guard();
DROP FUNCTION add_counts(bigint[], bigint[]);
DROP FUNCTION reached_delta(integer, integer);
DROP FUNCTION utc_day(timestamptz);
DROP FUNCTION rollup_shard();
