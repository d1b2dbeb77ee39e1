-- Participants, codes, invitations and the per-host completion counter.

-- +goose Up
CREATE TABLE participants (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  id           text NOT NULL DEFAULT new_id('par'),
  -- The tenant's own user id: printable, no spaces, at most 128 characters.
  external_id  text NOT NULL CHECK (external_id ~ '^[[:graph:]]{1,128}$'),
  email        text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$' AND length(email) <= 254),
  phone        text CHECK (phone ~ '^\+?[0-9]{4,20}$'),
  display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, external_id)
);
SELECT enable_tenant_rls('participants');
GRANT SELECT, INSERT, UPDATE (email, phone, display_name, updated_at) ON participants TO tandem_app;

-- Every invite and referrer code of every tenant. Codes are unique across
-- tenants so that a public link /i/{code} names exactly one tenant without
-- carrying a key. This is the one table keyed without tenant_id first: it is
-- the narrow lookup (a Citus reference table later), and it holds nothing but
-- the code, its tenant and its kind.
CREATE TABLE invite_codes (
  code      text PRIMARY KEY CHECK (code ~ '^[2-9A-HJ-NP-Z]{8}$'),
  tenant_id uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  kind      text NOT NULL CHECK (kind IN ('invitation', 'referrer_code')),
  UNIQUE (tenant_id, code, kind)
);
SELECT enable_tenant_rls('invite_codes');
GRANT SELECT, INSERT ON invite_codes TO tandem_app;
CREATE POLICY definer_lookup ON invite_codes FOR SELECT TO tandem_definer USING (true);
GRANT SELECT (code, tenant_id) ON invite_codes TO tandem_definer;

-- Draws a fresh code and reserves it in the registry, drawing again on the
-- rare collision with any tenant's code.
-- +goose StatementBegin
CREATE FUNCTION register_code(p_kind text) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  candidate text;
BEGIN
  LOOP
    candidate := new_code();
    INSERT INTO invite_codes (code, kind) VALUES (candidate, p_kind) ON CONFLICT DO NOTHING;
    IF FOUND THEN
      RETURN candidate;
    END IF;
  END LOOP;
END
$$;
-- +goose StatementEnd

-- One stable code per (campaign, host), only in referrer-code campaigns.
CREATE TABLE referrer_codes (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id text NOT NULL,
  host_id     text NOT NULL,
  kind        text NOT NULL DEFAULT 'referrer_code' CHECK (kind = 'referrer_code'),
  code        text NOT NULL DEFAULT register_code('referrer_code'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id, host_id),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, campaign_id, host_id, code),
  FOREIGN KEY (tenant_id, code, kind) REFERENCES invite_codes (tenant_id, code, kind),
  -- rule 2: a referrer code exists only in a referrer-code campaign.
  CONSTRAINT referrer_code_campaign_mode FOREIGN KEY (tenant_id, campaign_id, kind) REFERENCES campaigns (tenant_id, id, mode),
  FOREIGN KEY (tenant_id, host_id) REFERENCES participants (tenant_id, id)
);
SELECT enable_tenant_rls('referrer_codes');
GRANT SELECT, INSERT ON referrer_codes TO tandem_app;

-- A referral: host -> guest. Manual invitations are inserted pending with a
-- single-use code and claimed once; referrer-code invitations are inserted
-- already claimed, pointing at the host's code.
CREATE TABLE invitations (
  tenant_id         uuid NOT NULL DEFAULT app_tenant_id(),
  id                text NOT NULL DEFAULT new_id('inv'),
  campaign_id       text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('invitation', 'referrer_code')),
  host_id           text NOT NULL,
  code              text,
  referrer_code     text,
  channel           text NOT NULL DEFAULT '' CHECK (length(channel) <= 50),
  recipient         text NOT NULL DEFAULT '' CHECK (length(recipient) <= 254),
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz,
  guest_id          text,
  claimed_at        timestamptz,
  -- The campaign version the claim pinned (rule 3); moves only by migration.
  version           integer,
  -- Cached quest progress: how many leading steps of the version are done.
  progress          smallint NOT NULL DEFAULT 0 CHECK (progress >= 0),
  completed_at      timestamptz,
  -- This invitation was the host's nth completion in the campaign (rule 6).
  completion_number integer CHECK (completion_number >= 1),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  -- rule 1: first claim wins, a guest is referred once per campaign.
  CONSTRAINT guest_once_per_campaign UNIQUE (tenant_id, campaign_id, guest_id),
  -- rule 6: each completion of a host gets its own number.
  CONSTRAINT completion_number_once UNIQUE (tenant_id, campaign_id, host_id, completion_number),
  -- rule 2: the invitation's kind is its campaign's mode.
  CONSTRAINT invitation_campaign_mode FOREIGN KEY (tenant_id, campaign_id, kind) REFERENCES campaigns (tenant_id, id, mode),
  FOREIGN KEY (tenant_id, code, kind) REFERENCES invite_codes (tenant_id, code, kind),
  FOREIGN KEY (tenant_id, campaign_id, host_id, referrer_code) REFERENCES referrer_codes (tenant_id, campaign_id, host_id, code),
  FOREIGN KEY (tenant_id, host_id) REFERENCES participants (tenant_id, id),
  FOREIGN KEY (tenant_id, guest_id) REFERENCES participants (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES campaign_versions (tenant_id, campaign_id, version),
  -- rule 1: a host cannot refer themself.
  CONSTRAINT self_referral CHECK (guest_id <> host_id),
  CONSTRAINT invitation_shape CHECK (
       (kind = 'invitation' AND code IS NOT NULL AND referrer_code IS NULL AND expires_at IS NOT NULL)
    OR (kind = 'referrer_code' AND code IS NULL AND referrer_code IS NOT NULL AND guest_id IS NOT NULL)),
  CONSTRAINT claim_shape CHECK (
    (guest_id IS NULL) = (claimed_at IS NULL) AND (guest_id IS NULL) = (version IS NULL)
    AND (guest_id IS NOT NULL OR progress = 0)),
  CONSTRAINT completion_shape CHECK (
    (completed_at IS NULL) = (completion_number IS NULL) AND (completed_at IS NULL OR guest_id IS NOT NULL))
);
-- The open quests of a guest, read on every event.
CREATE INDEX invitations_open_by_guest ON invitations (tenant_id, guest_id) WHERE completed_at IS NULL AND guest_id IS NOT NULL;
CREATE INDEX invitations_by_host ON invitations (tenant_id, host_id, campaign_id, created_at);
CREATE INDEX invitations_by_campaign ON invitations (tenant_id, campaign_id, created_at);
SELECT enable_tenant_rls('invitations');
-- No DELETE: a referral is history.
GRANT SELECT, INSERT, UPDATE ON invitations TO tandem_app;

-- How many invitations a host has completed in a campaign. Completing an
-- invitation bumps it with UPDATE ... RETURNING in the same transaction, so
-- two guests completing at once get numbers n and n+1 rather than racing
-- for the same one.
CREATE TABLE host_completions (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id text NOT NULL,
  host_id     text NOT NULL,
  completed   integer NOT NULL CHECK (completed >= 1),
  PRIMARY KEY (tenant_id, campaign_id, host_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, host_id) REFERENCES participants (tenant_id, id)
);
SELECT enable_tenant_rls('host_completions');
GRANT SELECT, INSERT, UPDATE ON host_completions TO tandem_app;
