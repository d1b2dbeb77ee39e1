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
