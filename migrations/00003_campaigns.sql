-- Event definitions, campaigns and their immutable published versions.

-- +goose Up
CREATE TABLE event_definitions (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  name        text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  builtin     boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);
SELECT enable_tenant_rls('event_definitions');
-- No DELETE: quest steps and stored events refer to definitions by name.
GRANT SELECT, INSERT, UPDATE (description) ON event_definitions TO tandem_app;

-- Every tenant starts with the built-in events the engine itself records.
-- +goose StatementBegin
CREATE FUNCTION tenants_add_builtin_events() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO event_definitions (tenant_id, name, description, builtin)
  VALUES (NEW.id, 'invitation_claimed', 'Recorded by Tandem when the guest claims an invitation or signs up with a referrer code.', true);
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER tenants_add_builtin_events AFTER INSERT ON tenants
  FOR EACH ROW EXECUTE FUNCTION tenants_add_builtin_events();

CREATE TABLE campaigns (
  tenant_id       uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id              text NOT NULL DEFAULT new_id('cmp'),
  slug            text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  mode            text NOT NULL CHECK (mode IN ('invitation', 'referrer_code')),
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'ended')),
  current_version integer,
  signup_url      text NOT NULL DEFAULT '' CHECK (signup_url = '' OR signup_url ~ '^https?://[^[:space:]]+$'),
  starts_at       timestamptz,
  ends_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, slug),
  -- Target of the (campaign, kind) keys of invitations and referrer codes, so
  -- an invitation's kind always matches its campaign's mode (rule 2).
  UNIQUE (tenant_id, id, mode),
  CONSTRAINT campaign_window CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at),
  -- Only a published campaign can run, pause or end.
  CONSTRAINT campaign_published CHECK (status = 'draft' OR current_version IS NOT NULL)
);
SELECT enable_tenant_rls('campaigns');
GRANT SELECT, INSERT, UPDATE ON campaigns TO tandem_app;

-- A campaign's rules, versioned. The one row with published_at NULL is the
-- draft being edited; publishing freezes it for good (rule 3). Guest reward
-- and milestone rewards are plain columns so that checks, sums and indexes
-- see them (rule 8 is the same CHECK on every reward column set).
CREATE TABLE campaign_versions (
  tenant_id             uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id           text NOT NULL,
  version               integer NOT NULL CHECK (version >= 1),
  repeat_last_milestone boolean NOT NULL DEFAULT false,
  invitation_ttl_hours  integer NOT NULL DEFAULT 720 CHECK (invitation_ttl_hours BETWEEN 1 AND 87600),
  guest_reward_description text CHECK (length(guest_reward_description) BETWEEN 1 AND 500),
  guest_reward_kind        text CHECK (guest_reward_kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom')),
  guest_reward_quantity    integer CHECK (guest_reward_quantity >= 1),
  guest_reward_amount      bigint CHECK (guest_reward_amount >= 0),
  guest_reward_currency    text CHECK (guest_reward_currency ~ '^[A-Z]{3}$'),
  created_at            timestamptz NOT NULL DEFAULT now(),
  published_at          timestamptz,
  PRIMARY KEY (tenant_id, campaign_id, version),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  -- A guest reward is all there or all absent; an amount always has its currency (rule 8).
  CONSTRAINT guest_reward_complete CHECK (
    (guest_reward_description IS NULL) = (guest_reward_kind IS NULL)
    AND (guest_reward_description IS NULL) = (guest_reward_quantity IS NULL)
    AND (guest_reward_amount IS NULL OR guest_reward_description IS NOT NULL)),
  CONSTRAINT guest_reward_money CHECK ((guest_reward_amount IS NULL) = (guest_reward_currency IS NULL))
);
-- At most one draft per campaign.
CREATE UNIQUE INDEX campaign_versions_one_draft ON campaign_versions (tenant_id, campaign_id) WHERE published_at IS NULL;
SELECT enable_tenant_rls('campaign_versions');
GRANT SELECT, INSERT, UPDATE, DELETE ON campaign_versions TO tandem_app;

ALTER TABLE campaigns ADD FOREIGN KEY (tenant_id, id, current_version)
  REFERENCES campaign_versions (tenant_id, campaign_id, version);

-- The quest: an ordered line of distinct events, each one defined.
CREATE TABLE campaign_version_steps (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id text NOT NULL,
  version     integer NOT NULL,
  position    smallint NOT NULL CHECK (position >= 1),
  event_name  text NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, version, position),
  CONSTRAINT quest_steps_distinct UNIQUE (tenant_id, campaign_id, version, event_name),
  FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES campaign_versions (tenant_id, campaign_id, version) ON DELETE CASCADE,
  CONSTRAINT quest_step_event_defined FOREIGN KEY (tenant_id, event_name) REFERENCES event_definitions (tenant_id, name)
);
SELECT enable_tenant_rls('campaign_version_steps');
GRANT SELECT, INSERT, UPDATE, DELETE ON campaign_version_steps TO tandem_app;

-- The host's milestone table: the nth completed invitation earns this reward.
CREATE TABLE campaign_version_milestones (
  tenant_id          uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id        text NOT NULL,
  version            integer NOT NULL,
  nth                integer NOT NULL CHECK (nth >= 1),
  reward_description text NOT NULL CHECK (length(reward_description) BETWEEN 1 AND 500),
  reward_kind        text NOT NULL CHECK (reward_kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom')),
  reward_quantity    integer NOT NULL DEFAULT 1 CHECK (reward_quantity >= 1),
  reward_amount      bigint CHECK (reward_amount >= 0),
  reward_currency    text CHECK (reward_currency ~ '^[A-Z]{3}$'),
  PRIMARY KEY (tenant_id, campaign_id, version, nth),
  FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES campaign_versions (tenant_id, campaign_id, version) ON DELETE CASCADE,
  CONSTRAINT milestone_reward_money CHECK ((reward_amount IS NULL) = (reward_currency IS NULL))
);
SELECT enable_tenant_rls('campaign_version_milestones');
GRANT SELECT, INSERT, UPDATE, DELETE ON campaign_version_milestones TO tandem_app;

-- Rule 3: a published version never changes and is never deleted. Publishing
-- (setting published_at) is the one allowed update, and it checks that the
-- version is complete: a quest of steps 1..n with n >= 1, and a milestone
-- table that starts at the 1st completion.
-- +goose StatementBegin
CREATE FUNCTION campaign_versions_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  steps integer;
  last_position integer;
  first_nth integer;
BEGIN
  -- A version is born a draft, so that publishing is always the UPDATE below.
  IF TG_OP = 'INSERT' THEN
    IF NEW.published_at IS NOT NULL THEN
      RAISE EXCEPTION 'a version is created as a draft and published afterwards'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'version_born_draft';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.published_at IS NOT NULL THEN
    RAISE EXCEPTION 'version % of campaign % is published and cannot change', OLD.version, OLD.campaign_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'published_version_immutable';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF NEW.published_at IS NOT NULL THEN
    SELECT count(*), max(position) INTO steps, last_position
    FROM campaign_version_steps s
    WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version;
    IF steps = 0 OR steps <> last_position THEN
      RAISE EXCEPTION 'a quest needs steps numbered 1..n with at least one step'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'quest_steps_required';
    END IF;
    SELECT min(nth) INTO first_nth
    FROM campaign_version_milestones m
    WHERE m.tenant_id = NEW.tenant_id AND m.campaign_id = NEW.campaign_id AND m.version = NEW.version;
    IF first_nth IS NOT NULL AND first_nth <> 1 THEN
      RAISE EXCEPTION 'the milestone table must start at the 1st completion'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'milestones_start_at_one';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER campaign_versions_guard BEFORE INSERT OR UPDATE OR DELETE ON campaign_versions
  FOR EACH ROW EXECUTE FUNCTION campaign_versions_guard();

-- Rule 3 for the rows inside a version: steps and milestones of a published
-- version are as frozen as the version itself.
-- +goose StatementBegin
CREATE FUNCTION version_rows_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  r record;
BEGIN
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF EXISTS (SELECT 1 FROM campaign_versions v
             WHERE v.tenant_id = r.tenant_id AND v.campaign_id = r.campaign_id
               AND v.version = r.version AND v.published_at IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND EXISTS (
             SELECT 1 FROM campaign_versions v
             WHERE v.tenant_id = OLD.tenant_id AND v.campaign_id = OLD.campaign_id
               AND v.version = OLD.version AND v.published_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'version % of campaign % is published and cannot change', r.version, r.campaign_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'published_version_immutable';
  END IF;
  RETURN r;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER campaign_version_steps_guard BEFORE INSERT OR UPDATE OR DELETE ON campaign_version_steps
  FOR EACH ROW EXECUTE FUNCTION version_rows_guard();
CREATE TRIGGER campaign_version_milestones_guard BEFORE INSERT OR UPDATE OR DELETE ON campaign_version_milestones
  FOR EACH ROW EXECUTE FUNCTION version_rows_guard();

-- A campaign's life: draft -> active <-> paused -> ended, ended is final. Its
-- current version only moves forward and only to a published version; its
-- mode is fixed once it has been published (rule 2: invitations already made
-- were made for that mode).
-- +goose StatementBegin
CREATE FUNCTION campaigns_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'draft'  AND NEW.status = 'active')
    OR (OLD.status = 'active' AND NEW.status IN ('paused', 'ended'))
    OR (OLD.status = 'paused' AND NEW.status IN ('active', 'ended'))) THEN
    RAISE EXCEPTION 'campaign % cannot go from % to %', OLD.slug, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_status_transition';
  END IF;
  IF OLD.status = 'ended' AND NEW.current_version IS DISTINCT FROM OLD.current_version THEN
    RAISE EXCEPTION 'campaign % has ended', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_status_transition';
  END IF;
  IF NEW.current_version IS DISTINCT FROM OLD.current_version THEN
    IF NEW.current_version IS NULL OR NEW.current_version < coalesce(OLD.current_version, 0) THEN
      RAISE EXCEPTION 'the current version of campaign % only moves forward', OLD.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_forward';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM campaign_versions v
                   WHERE v.tenant_id = NEW.tenant_id AND v.campaign_id = NEW.id
                     AND v.version = NEW.current_version AND v.published_at IS NOT NULL) THEN
      RAISE EXCEPTION 'version % of campaign % is not published', NEW.current_version, OLD.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_published';
    END IF;
  END IF;
  IF NEW.mode IS DISTINCT FROM OLD.mode AND OLD.current_version IS NOT NULL THEN
    RAISE EXCEPTION 'the mode of published campaign % is fixed', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_mode_fixed';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
    RAISE EXCEPTION 'a campaign keeps its id'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_id_fixed';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER campaigns_guard BEFORE UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION campaigns_guard();

-- +goose Down
DROP TABLE campaign_version_milestones;
DROP TABLE campaign_version_steps;
ALTER TABLE campaigns DROP CONSTRAINT campaigns_tenant_id_id_current_version_fkey;
DROP TABLE campaign_versions;
DROP TABLE campaigns;
DROP FUNCTION campaigns_guard();
DROP FUNCTION version_rows_guard();
DROP FUNCTION campaign_versions_guard();
DROP TRIGGER tenants_add_builtin_events ON tenants;
DROP FUNCTION tenants_add_builtin_events();
DROP TABLE event_definitions;
