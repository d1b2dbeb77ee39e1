-- Judging derives progress in one place, once (issue 9).
--
-- Until now evaluate_invitation computed a guest's quest progress and wrote
-- it, and the invitations trigger computed it again to check it (rule 5),
-- counting the version's steps twice on the way. Now the trigger is the one
-- place that derives it: evaluate_invitation only asks (UPDATE … SET
-- progress = progress), and the trigger sets progress from the events and
-- completes the invitation when the whole quest is done. A caller that
-- writes a progress of its own (a migration) is still checked against the
-- derivation, and a completion still takes its number from the host's
-- counter, here and nowhere else.

-- +goose Up
-- rule 5, the one definition: the guest's progress in a version (the length
-- of the longest prefix of its steps the guest has events for) and the
-- number of its steps, in one read of the steps.
-- +goose StatementBegin
CREATE FUNCTION quest_state(p_campaign_id text, p_version integer, p_guest_id text, OUT progress integer, OUT steps integer)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
-- plpgsql rather than sql: its plan is cached for the session.
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  SELECT coalesce(min(s.position) FILTER (WHERE NOT s.done) - 1, count(*))::integer, count(*)::integer
  INTO progress, steps
  FROM (SELECT s.position,
               EXISTS (SELECT 1 FROM events e
                       WHERE e.tenant_id = current_tenant AND e.participant_id = p_guest_id AND e.name = s.event_name) AS done
        FROM campaign_version_steps s
        WHERE s.tenant_id = current_tenant AND s.campaign_id = p_campaign_id AND s.version = p_version) s;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$ SELECT (quest_state(p_campaign_id, p_version, p_guest_id)).progress $$;
-- +goose StatementEnd

-- Judges one claimed invitation from the stored events: the update takes
-- its row lock (so two events of one guest are judged one after the other;
-- callers hold the guest's lock, see lock_guest) and invitations_before_update
-- derives the rest. Ended campaigns judge no more.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION evaluate_invitation(p_invitation_id text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  UPDATE invitations i SET progress = i.progress
  WHERE i.tenant_id = current_tenant AND i.id = p_invitation_id
    AND i.guest_id IS NOT NULL AND i.completed_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.tenant_id = i.tenant_id AND c.id = i.campaign_id AND c.status = 'ended');
END
$$;
-- +goose StatementEnd

-- The lifecycle rules of 00004_referrals.sql, with progress derived here
-- (see the top of this file).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invitations_before_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  c campaigns;
  derived integer;
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

  IF NEW.completion_number IS DISTINCT FROM OLD.completion_number THEN
    RAISE EXCEPTION 'completion numbers come from the host counter'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'completion_number_once';
  END IF;

  -- A claimed, open invitation is judged by every update (evaluate_invitation
  -- asks with progress = progress): its progress is derived here from the
  -- guest's events, once, and it completes when the whole quest is done.
  IF OLD.guest_id IS NOT NULL AND OLD.completed_at IS NULL THEN
    SELECT q.progress, q.steps INTO derived, steps FROM quest_state(NEW.campaign_id, NEW.version, NEW.guest_id) q;
    -- rule 5: progress is derived from the guest's events, never written freely.
    IF NEW.progress IS DISTINCT FROM OLD.progress AND NEW.progress IS DISTINCT FROM derived THEN
      RAISE EXCEPTION 'progress % of invitation % is not what its events say', NEW.progress, OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'progress_derived';
    END IF;
    IF NEW.completed_at IS NOT NULL AND derived <> steps THEN
      RAISE EXCEPTION 'invitation % has not finished its quest', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'quest_not_complete';
    END IF;
    NEW.progress := derived;
    IF derived = steps THEN
      NEW.completed_at := coalesce(NEW.completed_at, now());
    END IF;
  END IF;

  -- rule 6: the completion's number comes from the host's counter, taken
  -- only here, as late in the judging as the row allows.
  IF OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL THEN
    INSERT INTO host_completions AS h (tenant_id, campaign_id, host_id, completed)
    VALUES (NEW.tenant_id, NEW.campaign_id, NEW.host_id, 1)
    ON CONFLICT (tenant_id, campaign_id, host_id) DO UPDATE SET completed = h.completed + 1
    RETURNING completed INTO NEW.completion_number;
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd

-- Completing issues the rewards. The trigger fired on updates naming
-- completed_at; a completion is now the before-trigger's doing, whatever the
-- update names, so it fires on any update that completes.
DROP TRIGGER invitations_issue_rewards ON invitations;
CREATE TRIGGER invitations_issue_rewards AFTER UPDATE ON invitations
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL)
  EXECUTE FUNCTION invitations_issue_rewards();

-- +goose Down
DROP TRIGGER invitations_issue_rewards ON invitations;
CREATE TRIGGER invitations_issue_rewards AFTER UPDATE OF completed_at ON invitations
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL)
  EXECUTE FUNCTION invitations_issue_rewards();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION invitations_before_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION evaluate_invitation(p_invitation_id text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  inv invitations;
  done integer;
  steps integer;
BEGIN
  SELECT * INTO inv FROM invitations
  WHERE tenant_id = app_tenant_id() AND id = p_invitation_id
  FOR UPDATE;
  IF NOT FOUND OR inv.guest_id IS NULL OR inv.completed_at IS NOT NULL THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM campaigns c WHERE c.tenant_id = inv.tenant_id AND c.id = inv.campaign_id AND c.status = 'ended') THEN
    RETURN;
  END IF;
  done := quest_progress(inv.campaign_id, inv.version, inv.guest_id);
  SELECT count(*) INTO steps FROM campaign_version_steps s
  WHERE s.tenant_id = inv.tenant_id AND s.campaign_id = inv.campaign_id AND s.version = inv.version;
  IF done = inv.progress AND done < steps THEN
    RETURN;
  END IF;
  UPDATE invitations
  SET progress = done,
      completed_at = CASE WHEN done = steps THEN now() END
  WHERE tenant_id = inv.tenant_id AND id = inv.id;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
-- plpgsql rather than sql: its plan is cached for the session instead of
-- being made again in every transaction (measured: most of its cost).
AS $$
BEGIN
  RETURN (
    SELECT coalesce(min(s.position) FILTER (WHERE NOT s.done) - 1, count(*))::integer
    FROM (SELECT s.position,
                 EXISTS (SELECT 1 FROM events e
                         WHERE e.tenant_id = app_tenant_id() AND e.participant_id = p_guest_id AND e.name = s.event_name) AS done
          FROM campaign_version_steps s
          WHERE s.tenant_id = app_tenant_id() AND s.campaign_id = p_campaign_id AND s.version = p_version) s);
END
$$;
-- +goose StatementEnd
DROP FUNCTION quest_state(text, integer, text);
