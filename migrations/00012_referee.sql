-- The app role cannot bend a rule.
--
-- Until now some rules were kept by triggers that run as the caller
-- (tandem_app), with INSERT or UPDATE granted to it so the trigger could
-- write: the caller could then write the same rows directly. Here those
-- writes move to a third role, tandem_referee, that owns the few trigger
-- functions doing them (SECURITY DEFINER), and tandem_app loses the grants:
--   host_completions  moves only through a completion (invitations_before_update)
--   invite_codes      codes are drawn only by register_code()
--   events            the reserved invitation_claimed only by record_claim_event()
--   rollups           only by the rollup triggers
-- Every function pins its search_path, and nobody but the owner may create
-- temporary tables (database_privileges.sql, applied on every migrate): a
-- temporary table named like a real one could otherwise stand in for it
-- inside a function that runs as the caller.
-- Money amounts are capped at 10^12 minor units where they are declared, and
-- the dashboard's sums are numeric, so no number of rewards can overflow them.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tandem_referee') THEN
    CREATE ROLE tandem_referee NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
-- +goose StatementEnd
GRANT tandem_referee TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tandem_referee;
-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner;
-- taken back at the end, with the definer's, so neither role can add objects.
GRANT CREATE ON SCHEMA public TO tandem_referee;

-- What the referee's functions read and write. Forced RLS binds it like any
-- role: it sees the rows of the transaction's tenant only.
GRANT SELECT ON campaigns, campaign_versions, campaign_version_steps, invitations, participants TO tandem_referee;
GRANT SELECT, INSERT, UPDATE ON host_completions TO tandem_referee;
GRANT SELECT, INSERT ON invite_codes TO tandem_referee;
GRANT SELECT, INSERT ON events TO tandem_referee;
GRANT SELECT, INSERT, UPDATE ON campaign_rollups, campaign_day_rollups, campaign_reward_rollups TO tandem_referee;

REVOKE INSERT, UPDATE ON host_completions FROM tandem_app;
REVOKE INSERT ON invite_codes FROM tandem_app;
REVOKE INSERT, UPDATE ON campaign_rollups, campaign_day_rollups, campaign_reward_rollups FROM tandem_app;

-- Completion numbering: the host's counter is bumped inside the invitation's
-- own update, which checks that the quest is done (progress_derived,
-- quest_not_complete), so a counter never moves without a completion.
ALTER FUNCTION invitations_before_update() SECURITY DEFINER;
ALTER FUNCTION invitations_before_update() OWNER TO tandem_referee;

-- Codes: drawn at random by the schema. The caller cannot insert a code of
-- its choosing, and so cannot learn whether another tenant holds it.
ALTER FUNCTION register_code(text) SECURITY DEFINER;
ALTER FUNCTION register_code(text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION register_code(text) FROM PUBLIC;
-- Column defaults and invitations_before_insert call it as tandem_app; a
-- direct call only draws one more random code for the caller's own tenant.
GRANT EXECUTE ON FUNCTION register_code(text) TO tandem_app;

-- Rollups: the dashboard's counters follow the base tables and nothing else.
ALTER FUNCTION invitations_rollup() SECURITY DEFINER;
ALTER FUNCTION invitations_rollup() OWNER TO tandem_referee;
ALTER FUNCTION reward_tokens_rollup() SECURITY DEFINER;
ALTER FUNCTION reward_tokens_rollup() OWNER TO tandem_referee;
-- Trigger functions cannot be called directly; no one needs EXECUTE.
REVOKE ALL ON FUNCTION invitations_before_update(), invitations_rollup(), reward_tokens_rollup() FROM PUBLIC;
-- Sums that cannot overflow: numeric has no upper bound a sum of capped
-- amounts can reach.
ALTER TABLE campaign_reward_rollups
  ALTER COLUMN issued_quantity TYPE numeric, ALTER COLUMN issued_amount TYPE numeric,
  ALTER COLUMN redeemed_quantity TYPE numeric, ALTER COLUMN redeemed_amount TYPE numeric,
  ALTER COLUMN voided_amount TYPE numeric, ALTER COLUMN expired_amount TYPE numeric;

-- Reserved events: invitation_claimed is recorded by the schema when a claim
-- happens. The app's inserts may not use the name; the referee's may, and
-- record_claim_event only records a claim that happened, once.
CREATE POLICY events_not_reserved ON events AS RESTRICTIVE FOR INSERT TO tandem_app
  WITH CHECK (name <> 'invitation_claimed');

-- +goose StatementBegin
CREATE FUNCTION record_claim_event(p_invitation_id text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  inv invitations;
BEGIN
  SELECT * INTO inv FROM invitations WHERE tenant_id = app_tenant_id() AND id = p_invitation_id;
  IF NOT FOUND OR inv.guest_id IS NULL THEN
    RAISE EXCEPTION 'invitation % is not claimed', p_invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reserved_event';
  END IF;
  -- Callers hold the guest's exclusive lock (lock_guest), so this check and
  -- the insert cannot interleave with another record of the same claim.
  IF EXISTS (SELECT 1 FROM events e
             WHERE e.tenant_id = inv.tenant_id AND e.participant_id = inv.guest_id AND e.name = 'invitation_claimed'
               AND e.properties ->> 'invitation' = inv.id) THEN
    RETURN;
  END IF;
  INSERT INTO events (tenant_id, participant_id, name, occurred_at, properties)
  VALUES (inv.tenant_id, inv.guest_id, 'invitation_claimed', inv.claimed_at, jsonb_build_object('invitation', inv.id));
END
$$;
-- +goose StatementEnd
ALTER FUNCTION record_claim_event(text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION record_claim_event(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION record_claim_event(text) TO tandem_app;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invitations_after_claim() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM lock_guest(NEW.guest_id, true);
  PERFORM record_claim_event(NEW.id);
  PERFORM evaluate_invitation(NEW.id);
  RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Caps, so that one tenant's configuration cannot make another's requests
-- slow: at most 20 quest steps and 100 milestone rows per version.
ALTER TABLE campaign_version_steps ADD CONSTRAINT quest_steps_cap CHECK (position <= 20);
ALTER TABLE campaign_version_milestones ADD CONSTRAINT milestones_cap CHECK (nth <= 100);
-- rule 8: money is at most 10^12 minor units (ten billion in a two-decimal
-- currency) and a quantity at most a million, wherever it is declared.
ALTER TABLE campaign_versions ADD CONSTRAINT guest_reward_amount_cap CHECK (guest_reward_amount <= 1000000000000),
  ADD CONSTRAINT guest_reward_quantity_cap CHECK (guest_reward_quantity <= 1000000);
ALTER TABLE campaign_version_milestones ADD CONSTRAINT reward_amount_cap CHECK (reward_amount <= 1000000000000),
  ADD CONSTRAINT reward_quantity_cap CHECK (reward_quantity <= 1000000);
ALTER TABLE reward_tokens ADD CONSTRAINT reward_amount_cap CHECK (amount <= 1000000000000),
  ADD CONSTRAINT reward_quantity_cap CHECK (quantity <= 1000000);

-- Every function resolves names in public, and in pg_temp last: a function
-- that runs as its caller cannot be pointed at the caller's objects. These
-- are the functions of 00001–00011 that did not pin it yet (the lookups
-- before the tenant is known always did); every function created from here
-- on pins it in its own definition, and a catalog test
-- (TestSchemaCatalogFunctionsPinSearchPath) fails on any that does not.
ALTER FUNCTION app_tenant_id() SET search_path = public, pg_temp;
ALTER FUNCTION new_id(text) SET search_path = public, pg_temp;
ALTER FUNCTION new_code() SET search_path = public, pg_temp;
ALTER FUNCTION enable_tenant_rls(regclass) SET search_path = public, pg_temp;
ALTER FUNCTION forbid_change() SET search_path = public, pg_temp;
ALTER FUNCTION api_keys_guard() SET search_path = public, pg_temp;
ALTER FUNCTION tenants_add_builtin_events() SET search_path = public, pg_temp;
ALTER FUNCTION campaign_versions_guard() SET search_path = public, pg_temp;
ALTER FUNCTION version_rows_guard() SET search_path = public, pg_temp;
ALTER FUNCTION campaigns_guard() SET search_path = public, pg_temp;
ALTER FUNCTION participant_id(text) SET search_path = public, pg_temp;
ALTER FUNCTION register_code(text) SET search_path = public, pg_temp;
ALTER FUNCTION host_completions_guard() SET search_path = public, pg_temp;
ALTER FUNCTION campaign_is_live(campaigns) SET search_path = public, pg_temp;
ALTER FUNCTION invitations_before_insert() SET search_path = public, pg_temp;
ALTER FUNCTION invitations_before_update() SET search_path = public, pg_temp;
ALTER FUNCTION quest_progress(text, integer, text) SET search_path = public, pg_temp;
ALTER FUNCTION lock_guest(text, boolean) SET search_path = public, pg_temp;
ALTER FUNCTION evaluate_invitation(text) SET search_path = public, pg_temp;
ALTER FUNCTION ingest_events(text[], text[], text[], timestamptz[], jsonb[]) SET search_path = public, pg_temp;
ALTER FUNCTION raffle_winners_within_draw() SET search_path = public, pg_temp;
ALTER FUNCTION reward_tokens_guard() SET search_path = public, pg_temp;
ALTER FUNCTION earned_rewards(text) SET search_path = public, pg_temp;
ALTER FUNCTION invitations_issue_rewards() SET search_path = public, pg_temp;
ALTER FUNCTION reward_tokens_issue_guard() SET search_path = public, pg_temp;
ALTER FUNCTION member_invitations_guard() SET search_path = public, pg_temp;
ALTER FUNCTION members_keep_an_owner() SET search_path = public, pg_temp;
ALTER FUNCTION actor_label(text) SET search_path = public, pg_temp;
ALTER FUNCTION rollup_shard() SET search_path = public, pg_temp;
ALTER FUNCTION utc_day(timestamptz) SET search_path = public, pg_temp;
ALTER FUNCTION reached_delta(integer, integer) SET search_path = public, pg_temp;
ALTER FUNCTION add_counts(bigint[], bigint[]) SET search_path = public, pg_temp;
ALTER FUNCTION rollups_guard() SET search_path = public, pg_temp;
ALTER FUNCTION invitations_rollup() SET search_path = public, pg_temp;
ALTER FUNCTION reward_tokens_rollup() SET search_path = public, pg_temp;

REVOKE CREATE ON SCHEMA public FROM tandem_definer, tandem_referee, PUBLIC;

-- +goose Down
GRANT CREATE ON SCHEMA public TO tandem_definer;
ALTER FUNCTION app_tenant_id() RESET search_path;
ALTER FUNCTION new_id(text) RESET search_path;
ALTER FUNCTION new_code() RESET search_path;
ALTER FUNCTION enable_tenant_rls(regclass) RESET search_path;
ALTER FUNCTION forbid_change() RESET search_path;
ALTER FUNCTION api_keys_guard() RESET search_path;
ALTER FUNCTION tenants_add_builtin_events() RESET search_path;
ALTER FUNCTION campaign_versions_guard() RESET search_path;
ALTER FUNCTION version_rows_guard() RESET search_path;
ALTER FUNCTION campaigns_guard() RESET search_path;
ALTER FUNCTION participant_id(text) RESET search_path;
ALTER FUNCTION register_code(text) RESET search_path;
ALTER FUNCTION host_completions_guard() RESET search_path;
ALTER FUNCTION campaign_is_live(campaigns) RESET search_path;
ALTER FUNCTION invitations_before_insert() RESET search_path;
ALTER FUNCTION invitations_before_update() RESET search_path;
ALTER FUNCTION quest_progress(text, integer, text) RESET search_path;
ALTER FUNCTION lock_guest(text, boolean) RESET search_path;
ALTER FUNCTION evaluate_invitation(text) RESET search_path;
ALTER FUNCTION ingest_events(text[], text[], text[], timestamptz[], jsonb[]) RESET search_path;
ALTER FUNCTION raffle_winners_within_draw() RESET search_path;
ALTER FUNCTION reward_tokens_guard() RESET search_path;
ALTER FUNCTION earned_rewards(text) RESET search_path;
ALTER FUNCTION invitations_issue_rewards() RESET search_path;
ALTER FUNCTION reward_tokens_issue_guard() RESET search_path;
ALTER FUNCTION member_invitations_guard() RESET search_path;
ALTER FUNCTION members_keep_an_owner() RESET search_path;
ALTER FUNCTION actor_label(text) RESET search_path;
ALTER FUNCTION rollup_shard() RESET search_path;
ALTER FUNCTION utc_day(timestamptz) RESET search_path;
ALTER FUNCTION reached_delta(integer, integer) RESET search_path;
ALTER FUNCTION add_counts(bigint[], bigint[]) RESET search_path;
ALTER FUNCTION rollups_guard() RESET search_path;
ALTER FUNCTION invitations_rollup() RESET search_path;
ALTER FUNCTION reward_tokens_rollup() RESET search_path;
ALTER TABLE reward_tokens DROP CONSTRAINT reward_quantity_cap, DROP CONSTRAINT reward_amount_cap;
ALTER TABLE campaign_version_milestones DROP CONSTRAINT reward_quantity_cap, DROP CONSTRAINT reward_amount_cap;
ALTER TABLE campaign_versions DROP CONSTRAINT guest_reward_quantity_cap, DROP CONSTRAINT guest_reward_amount_cap;
ALTER TABLE campaign_version_milestones DROP CONSTRAINT milestones_cap;
ALTER TABLE campaign_version_steps DROP CONSTRAINT quest_steps_cap;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invitations_after_claim() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM lock_guest(NEW.guest_id, true);
  INSERT INTO events (tenant_id, participant_id, name, occurred_at, properties)
  VALUES (NEW.tenant_id, NEW.guest_id, 'invitation_claimed', NEW.claimed_at, jsonb_build_object('invitation', NEW.id));
  PERFORM evaluate_invitation(NEW.id);
  RETURN NULL;
END
$$;
-- +goose StatementEnd
DROP FUNCTION record_claim_event(text);
DROP POLICY events_not_reserved ON events;
ALTER TABLE campaign_reward_rollups
  ALTER COLUMN issued_quantity TYPE bigint, ALTER COLUMN issued_amount TYPE bigint,
  ALTER COLUMN redeemed_quantity TYPE bigint, ALTER COLUMN redeemed_amount TYPE bigint,
  ALTER COLUMN voided_amount TYPE bigint, ALTER COLUMN expired_amount TYPE bigint;
ALTER FUNCTION reward_tokens_rollup() OWNER TO CURRENT_USER;
ALTER FUNCTION reward_tokens_rollup() SECURITY INVOKER;
ALTER FUNCTION invitations_rollup() OWNER TO CURRENT_USER;
ALTER FUNCTION invitations_rollup() SECURITY INVOKER;
ALTER FUNCTION register_code(text) OWNER TO CURRENT_USER;
ALTER FUNCTION register_code(text) SECURITY INVOKER;
ALTER FUNCTION invitations_before_update() OWNER TO CURRENT_USER;
ALTER FUNCTION invitations_before_update() SECURITY INVOKER;
GRANT INSERT, UPDATE ON campaign_rollups, campaign_day_rollups, campaign_reward_rollups TO tandem_app;
GRANT INSERT ON invite_codes TO tandem_app;
GRANT INSERT, UPDATE ON host_completions TO tandem_app;
REVOKE ALL ON campaign_rollups, campaign_day_rollups, campaign_reward_rollups, events, invite_codes,
  host_completions, campaigns, campaign_versions, campaign_version_steps, invitations, participants FROM tandem_referee;
REVOKE USAGE ON SCHEMA public FROM tandem_referee;
