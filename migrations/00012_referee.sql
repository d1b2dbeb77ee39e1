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

REVOKE CREATE ON SCHEMA public FROM tandem_definer, tandem_referee, PUBLIC;
