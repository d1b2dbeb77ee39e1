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

-- The id of the participant with this external id, created on first
-- mention: the tenant's backend may name a user in an event, a claim or an
-- invitation before it has sent their profile.
-- +goose StatementBegin
CREATE FUNCTION participant_id(p_external_id text) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  found_id text;
BEGIN
  SELECT id INTO found_id FROM participants WHERE tenant_id = app_tenant_id() AND external_id = p_external_id;
  IF found_id IS NULL THEN
    INSERT INTO participants (external_id) VALUES (p_external_id)
    ON CONFLICT (tenant_id, external_id) DO NOTHING
    RETURNING id INTO found_id;
  END IF;
  IF found_id IS NULL THEN -- inserted by a concurrent transaction that has committed since
    SELECT id INTO found_id FROM participants WHERE tenant_id = app_tenant_id() AND external_id = p_external_id;
  END IF;
  RETURN found_id;
END
$$;
-- +goose StatementEnd

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

-- The tenant of a public invite code (case-insensitive), or NULL.
-- +goose StatementBegin
CREATE FUNCTION find_invite_code_tenant(p_code text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT c.tenant_id FROM invite_codes c WHERE c.code = upper(p_code) $$;
-- +goose StatementEnd
ALTER FUNCTION find_invite_code_tenant(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_invite_code_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_invite_code_tenant(text) TO tandem_app;

-- Draws a fresh code and reserves it in the registry, drawing again on the
-- rare collision with any tenant's code.
-- +goose StatementBegin
CREATE FUNCTION register_code(p_kind text) RETURNS text
LANGUAGE plpgsql
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

-- The counter starts at one and only ever counts up by one.
-- +goose StatementBegin
CREATE FUNCTION host_completions_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.completed <> 1 THEN
      RAISE EXCEPTION 'a host completion counter starts at one'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.completed <> OLD.completed + 1 OR (NEW.tenant_id, NEW.campaign_id, NEW.host_id) IS DISTINCT FROM (OLD.tenant_id, OLD.campaign_id, OLD.host_id) THEN
    RAISE EXCEPTION 'a host completion counter only counts up by one'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER host_completions_guard BEFORE INSERT OR UPDATE ON host_completions
  FOR EACH ROW EXECUTE FUNCTION host_completions_guard();

-- Whether a campaign takes claims and new invitations right now (rule 2).
-- +goose StatementBegin
CREATE FUNCTION campaign_is_live(c campaigns) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT c.status = 'active'
     AND (c.starts_at IS NULL OR c.starts_at <= now())
     AND (c.ends_at IS NULL OR now() < c.ends_at)
$$;
-- +goose StatementEnd

-- New invitations: only in a live campaign. A manual invitation gets its code
-- and expiry here, from the current version's TTL; a referrer-code invitation
-- is a claim, so it pins the current version.
-- +goose StatementBegin
CREATE FUNCTION invitations_before_insert() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  c campaigns;
  ttl integer;
BEGIN
  SELECT * INTO c FROM campaigns WHERE tenant_id = NEW.tenant_id AND id = NEW.campaign_id;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key reports it
  END IF;
  IF NOT campaign_is_live(c) THEN
    RAISE EXCEPTION 'campaign % is not active', c.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_not_active';
  END IF;
  NEW.created_at := now();
  NEW.progress := 0;
  NEW.completed_at := NULL;
  NEW.completion_number := NULL;
  IF NEW.kind = 'invitation' THEN
    IF NEW.guest_id IS NOT NULL THEN
      RAISE EXCEPTION 'a manual invitation starts pending'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_shape';
    END IF;
    SELECT v.invitation_ttl_hours INTO ttl FROM campaign_versions v
    WHERE v.tenant_id = c.tenant_id AND v.campaign_id = c.id AND v.version = c.current_version;
    NEW.code := register_code('invitation');
    NEW.expires_at := now() + make_interval(hours => ttl);
    NEW.claimed_at := NULL;
    NEW.version := NULL;
  ELSE
    NEW.claimed_at := now();
    NEW.version := c.current_version;
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER invitations_before_insert BEFORE INSERT ON invitations
  FOR EACH ROW EXECUTE FUNCTION invitations_before_insert();

-- The life of an invitation after it exists.
--   rule 1: claimed once; a claim needs an unexpired code in a live campaign.
--   rule 3: the claim pins the current version; only a migration moves it,
--           forward, to a published version.
--   rule 5: stored progress always equals quest_progress() of its events.
--   rule 6: a completed invitation is never judged again; it completes only
--           when the whole quest is done, and its completion number comes
--           from the host's counter, nowhere else.
-- +goose StatementBegin
CREATE FUNCTION invitations_before_update() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  c campaigns;
  steps integer;
BEGIN
  IF (NEW.tenant_id, NEW.id, NEW.campaign_id, NEW.kind, NEW.host_id, NEW.code, NEW.referrer_code,
      NEW.channel, NEW.recipient, NEW.created_at, NEW.expires_at)
     IS DISTINCT FROM
     (OLD.tenant_id, OLD.id, OLD.campaign_id, OLD.kind, OLD.host_id, OLD.code, OLD.referrer_code,
      OLD.channel, OLD.recipient, OLD.created_at, OLD.expires_at) THEN
    RAISE EXCEPTION 'invitation % keeps its host, campaign and code', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_fields_fixed';
  END IF;

  IF OLD.guest_id IS NOT NULL AND (NEW.guest_id IS DISTINCT FROM OLD.guest_id OR NEW.claimed_at IS DISTINCT FROM OLD.claimed_at) THEN
    RAISE EXCEPTION 'invitation % is already claimed', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_already_claimed';
  END IF;

  IF OLD.guest_id IS NULL AND NEW.guest_id IS NOT NULL THEN
    IF OLD.expires_at <= now() THEN
      RAISE EXCEPTION 'invitation % has expired', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_expired';
    END IF;
    SELECT * INTO c FROM campaigns WHERE tenant_id = OLD.tenant_id AND id = OLD.campaign_id;
    IF NOT campaign_is_live(c) THEN
      RAISE EXCEPTION 'campaign % is not active', c.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_not_active';
    END IF;
    NEW.claimed_at := now();
    NEW.version := c.current_version;
    NEW.progress := 0;
    RETURN NEW;
  END IF;

  IF OLD.completed_at IS NOT NULL AND (NEW.version, NEW.progress, NEW.completed_at, NEW.completion_number)
       IS DISTINCT FROM (OLD.version, OLD.progress, OLD.completed_at, OLD.completion_number) THEN
    RAISE EXCEPTION 'invitation % is complete and is never judged again', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_completed';
  END IF;

  IF NEW.version IS DISTINCT FROM OLD.version THEN
    IF OLD.version IS NOT NULL AND (NEW.version IS NULL OR NEW.version <= OLD.version) THEN
      RAISE EXCEPTION 'invitation % only migrates forward', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_version_forward';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM campaign_versions v
                   WHERE v.tenant_id = NEW.tenant_id AND v.campaign_id = NEW.campaign_id
                     AND v.version = NEW.version AND v.published_at IS NOT NULL) THEN
      RAISE EXCEPTION 'version % of campaign % is not published', NEW.version, NEW.campaign_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_published';
    END IF;
  END IF;

  IF NEW.progress IS DISTINCT FROM OLD.progress OR NEW.version IS DISTINCT FROM OLD.version
     OR (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL) THEN
    SELECT count(*) INTO steps FROM campaign_version_steps s
    WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version;
    -- rule 5: progress is derived from the guest's events, never written freely.
    IF NEW.progress <> quest_progress(NEW.campaign_id, NEW.version, NEW.guest_id) THEN
      RAISE EXCEPTION 'progress % of invitation % is not what its events say', NEW.progress, OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'progress_derived';
    END IF;
    IF OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL AND NEW.progress <> steps THEN
      RAISE EXCEPTION 'invitation % has not finished its quest', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'quest_not_complete';
    END IF;
  END IF;

  IF OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL THEN
    INSERT INTO host_completions AS h (tenant_id, campaign_id, host_id, completed)
    VALUES (NEW.tenant_id, NEW.campaign_id, NEW.host_id, 1)
    ON CONFLICT (tenant_id, campaign_id, host_id) DO UPDATE SET completed = h.completed + 1
    RETURNING completed INTO NEW.completion_number;
  ELSIF NEW.completion_number IS DISTINCT FROM OLD.completion_number THEN
    RAISE EXCEPTION 'completion numbers come from the host counter'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'completion_number_once';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER invitations_before_update BEFORE UPDATE ON invitations
  FOR EACH ROW EXECUTE FUNCTION invitations_before_update();

-- +goose Down
DROP TABLE host_completions;
DROP TABLE invitations;
DROP TABLE referrer_codes;
DROP FUNCTION invitations_before_update();
DROP FUNCTION invitations_before_insert();
DROP FUNCTION campaign_is_live(campaigns);
DROP FUNCTION host_completions_guard();
DROP FUNCTION register_code(text);
DROP FUNCTION find_invite_code_tenant(text);
DROP TABLE invite_codes;
DROP FUNCTION participant_id(text);
DROP TABLE participants;
