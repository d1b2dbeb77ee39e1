-- The lifecycle rules of 00004_referrals.sql, with progress derived here
-- (see the top of this file).
CREATE OR REPLACE FUNCTION invitations_before_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  c campaigns;
  state record;
  derived integer;
  steps integer;
BEGIN
  -- The recipient is fixed too, by invitations_recipient_erasable, which
  -- runs as the caller and so lets erasure blank it.
  IF (NEW.tenant_id, NEW.id, NEW.campaign_id, NEW.kind, NEW.host_id, NEW.code, NEW.referrer_code,
      NEW.channel, NEW.created_at, NEW.expires_at)
     IS DISTINCT FROM
     (OLD.tenant_id, OLD.id, OLD.campaign_id, OLD.kind, OLD.host_id, OLD.code, OLD.referrer_code,
      OLD.channel, OLD.created_at, OLD.expires_at) THEN
    RAISE EXCEPTION 'invitation % keeps its host, campaign and code', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_fields_fixed', DETAIL = 'constraint "invitation_fields_fixed"';
  END IF;

  -- An invitation's expiry is marked once, by the sweep, and only when it
  -- is true: a pending manual invitation whose expires_at has passed gets
  -- expired_at between expires_at and now, and stays pending in that update
  -- (claim_shape and completion_shape then keep its other fields as they
  -- were; a later claim is refused below as invitation_expired). Nothing
  -- moves or clears the mark after.
  IF NEW.expired_at IS DISTINCT FROM OLD.expired_at THEN
    IF OLD.expired_at IS NOT NULL OR NEW.expired_at IS NULL
       OR OLD.kind <> 'invitation' OR OLD.guest_id IS NOT NULL OR NEW.guest_id IS NOT NULL
       OR OLD.expires_at > now() OR NEW.expired_at < OLD.expires_at OR NEW.expired_at > now() THEN
      RAISE EXCEPTION 'invitation % is marked expired once, when it is pending past its expiry', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_expiry_marked_once', DETAIL = 'constraint "invitation_expiry_marked_once"';
    END IF;
    RETURN NEW;
  END IF;

  IF OLD.guest_id IS NOT NULL AND (NEW.guest_id IS DISTINCT FROM OLD.guest_id OR NEW.claimed_at IS DISTINCT FROM OLD.claimed_at) THEN
    RAISE EXCEPTION 'invitation % is already claimed', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_already_claimed', DETAIL = 'constraint "invitation_already_claimed"';
  END IF;

  IF OLD.guest_id IS NULL AND NEW.guest_id IS NOT NULL THEN
    IF OLD.expires_at <= now() THEN
      RAISE EXCEPTION 'invitation % has expired', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_expired', DETAIL = 'constraint "invitation_expired"';
    END IF;
    SELECT * INTO c FROM campaigns WHERE tenant_id = OLD.tenant_id AND id = OLD.campaign_id;
    IF NOT campaign_is_live(c.status, c.starts_at, c.ends_at) THEN
      RAISE EXCEPTION 'campaign % is not active', c.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_not_active', DETAIL = 'constraint "campaign_not_active"';
    END IF;
    NEW.claimed_at := now();
    NEW.version := c.current_version;
    NEW.progress := 0;
    RETURN NEW;
  END IF;

  IF OLD.completed_at IS NOT NULL AND (NEW.version, NEW.progress, NEW.completed_at, NEW.completion_number)
       IS DISTINCT FROM (OLD.version, OLD.progress, OLD.completed_at, OLD.completion_number) THEN
    RAISE EXCEPTION 'invitation % is complete and is never judged again', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_completed', DETAIL = 'constraint "invitation_completed"';
  END IF;

  IF NEW.version IS DISTINCT FROM OLD.version THEN
    IF OLD.version IS NOT NULL AND (NEW.version IS NULL OR NEW.version <= OLD.version) THEN
      RAISE EXCEPTION 'invitation % only migrates forward', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_version_forward', DETAIL = 'constraint "invitation_version_forward"';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM campaign_versions v
                   WHERE v.tenant_id = NEW.tenant_id AND v.campaign_id = NEW.campaign_id
                     AND v.version = NEW.version AND v.published_at IS NOT NULL) THEN
      RAISE EXCEPTION 'version % of campaign % is not published', NEW.version, NEW.campaign_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_published', DETAIL = 'constraint "campaign_version_published"';
    END IF;
    -- A claimed invitation moves only with its campaign's running migration,
    -- to that migration's version (campaign_migrations, 00060): rule 3's
    -- "unless an admin migrates it", kept by the table that says so.
    IF OLD.version IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM campaign_migrations m
         WHERE m.tenant_id = NEW.tenant_id AND m.campaign_id = NEW.campaign_id
           AND m.version = NEW.version AND m.finished_at IS NULL) THEN
      RAISE EXCEPTION 'invitation % moves to version % only with a migration of its campaign', OLD.id, NEW.version
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_migrates_with_campaign', DETAIL = 'constraint "invitation_migrates_with_campaign"';
    END IF;
  END IF;

  IF NEW.completion_number IS DISTINCT FROM OLD.completion_number THEN
    RAISE EXCEPTION 'completion numbers come from the host counter'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'completion_number_once', DETAIL = 'constraint "completion_number_once"';
  END IF;

  -- A claimed, open invitation is judged by every update (evaluate_invitation
  -- asks with progress = progress): its progress is derived here from the
  -- guest's events, once, and it completes when the whole quest is done.
  IF OLD.guest_id IS NOT NULL AND OLD.completed_at IS NULL THEN
    -- An assignment, not a query: PL/pgSQL evaluates a call alone as an
    -- expression, without starting an executor for it (once a judged row).
    state := quest_state(NEW.campaign_id, NEW.version, NEW.guest_id);
    derived := state.progress;
    steps := state.steps;
    -- rule 5: progress is derived from the guest's events, never written freely.
    IF NEW.progress IS DISTINCT FROM OLD.progress AND NEW.progress IS DISTINCT FROM derived THEN
      RAISE EXCEPTION 'progress % of invitation % is not what its events say', NEW.progress, OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'progress_derived', DETAIL = 'constraint "progress_derived"';
    END IF;
    IF NEW.completed_at IS NOT NULL AND derived <> steps THEN
      RAISE EXCEPTION 'invitation % has not finished its quest', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'quest_not_complete', DETAIL = 'constraint "quest_not_complete"';
    END IF;
    NEW.progress := derived;
    IF derived = steps THEN
      NEW.completed_at := coalesce(NEW.completed_at, now());
    END IF;
  END IF;

  -- rule 6: the completion's number is the host's next, taken only here,
  -- as late in the judging as the row allows, under the host's counter row
  -- (locked, or created at one for the host's first completion), so that
  -- concurrent completions of one host are numbered one after the other.
  -- The number is the host's highest so far plus one, read from
  -- completion_number_once's index, which sees this statement's earlier
  -- rows; the counter catches up once a statement (invitations_completed).
  -- Locking the row rather than bumping it each time: a transaction that
  -- completes 5,000 invitations of one host made 5,000 versions of it, and
  -- each bump searched them all.
  IF OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL THEN
    PERFORM FROM host_completions h
    WHERE h.tenant_id = NEW.tenant_id AND h.campaign_id = NEW.campaign_id AND h.host_id = NEW.host_id
    FOR UPDATE;
    IF NOT FOUND THEN
      INSERT INTO host_completions (tenant_id, campaign_id, host_id, completed)
      VALUES (NEW.tenant_id, NEW.campaign_id, NEW.host_id, 1)
      ON CONFLICT (tenant_id, campaign_id, host_id) DO NOTHING;
      IF NOT FOUND THEN
        -- Another transaction created it and committed meanwhile.
        PERFORM FROM host_completions h
        WHERE h.tenant_id = NEW.tenant_id AND h.campaign_id = NEW.campaign_id AND h.host_id = NEW.host_id
        FOR UPDATE;
      END IF;
    END IF;
    SELECT coalesce(max(i.completion_number), 0) + 1 INTO NEW.completion_number
    FROM invitations i
    WHERE i.tenant_id = NEW.tenant_id AND i.campaign_id = NEW.campaign_id AND i.host_id = NEW.host_id;
  END IF;
  RETURN NEW;
END
$$;

-- Completion numbering: a number is taken inside the invitation's own
-- update, which checks that the quest is done (progress_derived,
-- quest_not_complete), so no number is taken without a completion.
-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION invitations_before_update() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION invitations_before_update() FROM PUBLIC;
