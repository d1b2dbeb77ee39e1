-- The schema of a database migrated from nothing (go run ./internal/schemasql).
-- Generated: edit migrations/, never this file; make test fails when it is stale.

--
-- PostgreSQL database dump
--

--
-- Name: river_job_state; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.river_job_state AS ENUM (
    'available',
    'cancelled',
    'completed',
    'discarded',
    'pending',
    'retryable',
    'running',
    'scheduled'
);

ALTER TYPE public.river_job_state OWNER TO postgres;

--
-- Name: add_builtin_events(uuid); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.add_builtin_events(p_tenant_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO event_definitions (tenant_id, name, description, builtin)
  VALUES (p_tenant_id, 'invitation_claimed', 'Recorded by Tandem when the guest claims an invitation or signs up with a referrer code.', true);
END
$$;

ALTER FUNCTION public.add_builtin_events(p_tenant_id uuid) OWNER TO postgres;

--
-- Name: add_counts(bigint[], bigint[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.add_counts(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RETURN ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n) ORDER BY n);
END
$$;

ALTER FUNCTION public.add_counts(a bigint[], b bigint[]) OWNER TO postgres;

--
-- Name: api_keys_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.api_keys_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'api key % is revoked for good', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'api_key_revoked', DETAIL = 'constraint "api_key_revoked"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.api_keys_guard() OWNER TO postgres;

--
-- Name: app_tenant_id(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.app_tenant_id() RETURNS uuid
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN RETURN NULLIF(current_setting('app.tenant_id', true), '')::uuid; END $$;

ALTER FUNCTION public.app_tenant_id() OWNER TO postgres;

--
-- Name: apply_stripe_event(text, text, timestamp with time zone, text, text, text, text); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.apply_stripe_event(p_event_id text, p_type text, p_created timestamp with time zone, p_customer text, p_subscription text, p_status text, p_plan text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid;
  t       tenants%ROWTYPE;
  outcome text := 'applied';
BEGIN
  -- The row lock orders concurrent deliveries for one tenant. The tenant's
  -- id goes in as a value: Citus locks a row only where it can tell which.
  current_tenant := app_tenant_id();
  SELECT * INTO t FROM tenants WHERE id = current_tenant FOR UPDATE;
  IF NOT FOUND THEN
    -- A tenant id Stripe knows and this database does not (another
    -- environment sharing the Stripe account): nothing to apply it to.
    RETURN 'unknown_tenant';
  END IF;
  IF EXISTS (SELECT 1 FROM stripe_events e WHERE e.tenant_id = t.id AND e.event_id = p_event_id) THEN
    RETURN 'duplicate';
  END IF;
  IF p_type = 'checkout.session.completed' THEN
    -- Links only; the plan comes from the subscription's own events.
    UPDATE tenants SET stripe_customer_id = coalesce(stripe_customer_id, p_customer),
                       stripe_subscription_id = coalesce(stripe_subscription_id, p_subscription)
    WHERE id = t.id;
  ELSIF t.stripe_subscription_id IS NOT NULL AND p_subscription IS DISTINCT FROM t.stripe_subscription_id
        AND (p_type = 'invoice.payment_failed' OR p_status NOT IN ('trialing', 'active', 'past_due')) THEN
    -- A failed payment or the end of a subscription other than the tenant's
    -- own: only a paying subscription replaces the current one.
    outcome := 'ignored';
  ELSIF t.billing_synced_at IS NOT NULL AND (p_created < t.billing_synced_at
        OR (p_created = t.billing_synced_at AND billing_status_rank(p_status) < billing_status_rank(t.billing_status))) THEN
    outcome := 'stale';
  ELSE
    UPDATE tenants SET
      billing_status = p_status,
      billing_synced_at = p_created,
      stripe_customer_id = coalesce(stripe_customer_id, p_customer),
      stripe_subscription_id = coalesce(p_subscription, stripe_subscription_id),
      plan = CASE
        WHEN p_status NOT IN ('trialing', 'active', 'past_due') THEN 'free'
        ELSE coalesce(p_plan, t.plan, 'free') END
    WHERE id = t.id;
  END IF;
  INSERT INTO stripe_events (tenant_id, event_id, type, created, outcome) VALUES (t.id, p_event_id, p_type, p_created, outcome);
  RETURN outcome;
END
$$;

ALTER FUNCTION public.apply_stripe_event(p_event_id text, p_type text, p_created timestamp with time zone, p_customer text, p_subscription text, p_status text, p_plan text) OWNER TO tandem_referee;

--
-- Name: audit_log_erasable(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.audit_log_erasable() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND current_user = 'tandem_eraser'
     AND to_jsonb(NEW) - 'before' - 'after' = to_jsonb(OLD) - 'before' - 'after' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;

ALTER FUNCTION public.audit_log_erasable() OWNER TO postgres;

--
-- Name: billing_status_rank(text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.billing_status_rank(p_status text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
  SELECT CASE p_status
    WHEN 'none' THEN 0 WHEN 'incomplete' THEN 1 WHEN 'trialing' THEN 2 WHEN 'active' THEN 3
    WHEN 'past_due' THEN 4 WHEN 'paused' THEN 5 WHEN 'unpaid' THEN 6
    WHEN 'incomplete_expired' THEN 7 WHEN 'canceled' THEN 8 END
$$;

ALTER FUNCTION public.billing_status_rank(p_status text) OWNER TO postgres;

--
-- Name: campaign_is_live(text, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaign_is_live(p_status text, p_starts_at timestamp with time zone, p_ends_at timestamp with time zone) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
  SELECT p_status = 'active' AND (p_starts_at IS NULL OR p_starts_at <= now()) AND (p_ends_at IS NULL OR now() < p_ends_at)
$$;

ALTER FUNCTION public.campaign_is_live(p_status text, p_starts_at timestamp with time zone, p_ends_at timestamp with time zone) OWNER TO postgres;

--
-- Name: campaign_migrations_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaign_migrations_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.migrated <> 0 OR NEW.after_host IS NOT NULL OR NEW.finished_at IS NOT NULL
       OR NOT EXISTS (SELECT 1 FROM campaigns c
                      WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.campaign_id AND c.current_version = NEW.version) THEN
      RAISE EXCEPTION 'a migration starts unmoved, for its campaign''s current version'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_start', DETAIL = 'constraint "campaign_migration_start"';
    END IF;
    NEW.started_at := now();
    RETURN NEW;
  END IF;
  IF OLD.finished_at IS NOT NULL THEN
    RAISE EXCEPTION 'the migration of campaign % to version % is finished', OLD.campaign_id, OLD.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_finished', DETAIL = 'constraint "campaign_migration_finished"';
  END IF;
  IF (NEW.tenant_id, NEW.campaign_id, NEW.version, NEW.in_flight, NEW.started_at)
       IS DISTINCT FROM (OLD.tenant_id, OLD.campaign_id, OLD.version, OLD.in_flight, OLD.started_at)
     OR NEW.migrated < OLD.migrated
     OR (OLD.after_host IS NOT NULL AND (NEW.after_host IS NULL OR (NEW.after_host, NEW.after_id) < (OLD.after_host, OLD.after_id))) THEN
    RAISE EXCEPTION 'the migration of campaign % to version % only moves forward', OLD.campaign_id, OLD.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_forward', DETAIL = 'constraint "campaign_migration_forward"';
  END IF;
  IF NEW.finished_at IS NOT NULL THEN
    IF EXISTS (SELECT 1 FROM invitations i
               WHERE i.tenant_id = NEW.tenant_id AND i.campaign_id = NEW.campaign_id
                 AND i.guest_id IS NOT NULL AND i.completed_at IS NULL AND i.version < NEW.version) THEN
      RAISE EXCEPTION 'in-flight invitations of campaign % are still below version %', NEW.campaign_id, NEW.version
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_unfinished', DETAIL = 'constraint "campaign_migration_unfinished"';
    END IF;
    NEW.finished_at := now();
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.campaign_migrations_guard() OWNER TO postgres;

--
-- Name: campaign_migrations_queue(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.campaign_migrations_queue() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  args jsonb := jsonb_build_object('tenant_id', NEW.tenant_id, 'campaign_id', NEW.campaign_id, 'version', NEW.version);
BEGIN
  IF to_regclass('public.river_job') IS NULL THEN
    INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
    VALUES (NEW.tenant_id, 'campaign_migration', 'default', 25, args);
    RETURN NULL;
  END IF;
  INSERT INTO river_job (kind, queue, max_attempts, args) VALUES ('campaign_migration', 'default', 25, args);
  PERFORM pg_notify('public.river_insert', '{"queue": "default"}');
  RETURN NULL;
END
$$;

ALTER FUNCTION public.campaign_migrations_queue() OWNER TO tandem_referee;

--
-- Name: campaign_versions_await_events(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaign_versions_await_events() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  BEGIN
    PERFORM lock_event_names(NEW.tenant_id, ARRAY(
      SELECT s.event_name FROM campaign_version_steps s
      WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version), true);
    RAISE EXCEPTION 'every event in flight of these steps has committed' USING ERRCODE = 'TDB01';
  EXCEPTION WHEN SQLSTATE 'TDB01' THEN
    NULL; -- the block is undone and its locks released
  END;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.campaign_versions_await_events() OWNER TO postgres;

--
-- Name: campaign_versions_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaign_versions_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  steps integer;
  last_position integer;
  first_nth integer;
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  -- A version is born a draft, so that publishing is always the UPDATE below.
  IF TG_OP = 'INSERT' THEN
    IF NEW.published_at IS NOT NULL THEN
      RAISE EXCEPTION 'a version is created as a draft and published afterwards'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'version_born_draft', DETAIL = 'constraint "version_born_draft"';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.published_at IS NOT NULL THEN
    RAISE EXCEPTION 'version % of campaign % is published and cannot change', OLD.version, OLD.campaign_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'published_version_immutable', DETAIL = 'constraint "published_version_immutable"';
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
        USING ERRCODE = 'check_violation', CONSTRAINT = 'quest_steps_required', DETAIL = 'constraint "quest_steps_required"';
    END IF;
    SELECT min(nth) INTO first_nth
    FROM campaign_version_milestones m
    WHERE m.tenant_id = NEW.tenant_id AND m.campaign_id = NEW.campaign_id AND m.version = NEW.version;
    IF first_nth IS NOT NULL AND first_nth <> 1 THEN
      RAISE EXCEPTION 'the milestone table must start at the 1st completion'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'milestones_start_at_one', DETAIL = 'constraint "milestones_start_at_one"';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.campaign_versions_guard() OWNER TO postgres;

--
-- Name: campaigns_await_migration(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaigns_await_migration() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM campaign_migrations m
             WHERE m.tenant_id = NEW.tenant_id AND m.campaign_id = NEW.id AND m.finished_at IS NULL) THEN
    RAISE EXCEPTION 'campaign % is migrating its in-flight invitations', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_migration_running', DETAIL = 'constraint "campaign_migration_running"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.campaigns_await_migration() OWNER TO postgres;

--
-- Name: campaigns_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaigns_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'draft'  AND NEW.status = 'active')
    OR (OLD.status = 'active' AND NEW.status IN ('paused', 'ended'))
    OR (OLD.status = 'paused' AND NEW.status IN ('active', 'ended'))) THEN
    RAISE EXCEPTION 'campaign % cannot go from % to %', OLD.slug, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_status_transition', DETAIL = 'constraint "campaign_status_transition"';
  END IF;
  IF OLD.status = 'ended' AND NEW.current_version IS DISTINCT FROM OLD.current_version THEN
    RAISE EXCEPTION 'campaign % has ended', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_status_transition', DETAIL = 'constraint "campaign_status_transition"';
  END IF;
  IF NEW.current_version IS DISTINCT FROM OLD.current_version THEN
    IF NEW.current_version IS NULL OR NEW.current_version < coalesce(OLD.current_version, 0) THEN
      RAISE EXCEPTION 'the current version of campaign % only moves forward', OLD.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_forward', DETAIL = 'constraint "campaign_version_forward"';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM campaign_versions v
                   WHERE v.tenant_id = NEW.tenant_id AND v.campaign_id = NEW.id
                     AND v.version = NEW.current_version AND v.published_at IS NOT NULL) THEN
      RAISE EXCEPTION 'version % of campaign % is not published', NEW.current_version, OLD.slug
        USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_version_published', DETAIL = 'constraint "campaign_version_published"';
    END IF;
  END IF;
  IF NEW.mode IS DISTINCT FROM OLD.mode AND OLD.current_version IS NOT NULL THEN
    RAISE EXCEPTION 'the mode of published campaign % is fixed', OLD.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_mode_fixed', DETAIL = 'constraint "campaign_mode_fixed"';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
    RAISE EXCEPTION 'a campaign keeps its id'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_id_fixed', DETAIL = 'constraint "campaign_id_fixed"';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

ALTER FUNCTION public.campaigns_guard() OWNER TO postgres;

--
-- Name: campaigns_webhooks(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaigns_webhooks() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF OLD.current_version IS DISTINCT FROM NEW.current_version THEN
    PERFORM webhook_record(NEW.tenant_id, 'campaign.published', NEW.slug, jsonb_build_object('version', NEW.current_version));
  ELSIF NEW.status IN ('paused', 'ended') THEN
    PERFORM webhook_record(NEW.tenant_id, 'campaign.' || NEW.status, NEW.slug, '{}');
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.campaigns_webhooks() OWNER TO postgres;

--
-- Name: campaigns_within_plan(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.campaigns_within_plan() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  m integer;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'active' THEN
    RETURN NEW;
  END IF;
  m := plan_limit(NEW.tenant_id, 'active_campaigns');
  IF m IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM lock_plan_limit(NEW.tenant_id, 'active_campaigns');
  IF (SELECT count(*) FROM campaigns c WHERE c.tenant_id = NEW.tenant_id AND c.status = 'active' AND c.id <> NEW.id) >= m THEN
    PERFORM plan_limit_reached('active_campaigns', m);
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.campaigns_within_plan() OWNER TO postgres;

--
-- Name: cancel_tenant_deletion(uuid); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.cancel_tenant_deletion(p_tenant_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  t tenants;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'cancel_tenant_deletion runs in its tenant''s transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO STRICT t FROM tenants WHERE id = p_tenant_id FOR UPDATE;
  IF t.deletion_due_at IS NULL THEN
    RETURN false;
  END IF;
  IF t.deletion_due_at <= now() THEN
    RAISE EXCEPTION 'the grace period of tenant % ended at %', p_tenant_id, t.deletion_due_at
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_deletion_final', DETAIL = 'constraint "tenant_deletion_final"';
  END IF;
  UPDATE tenants SET deletion_requested_at = NULL, deletion_due_at = NULL WHERE id = p_tenant_id;
  RETURN true;
END
$$;

ALTER FUNCTION public.cancel_tenant_deletion(p_tenant_id uuid) OWNER TO tandem_referee;

--
-- Name: earned_rewards(text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.earned_rewards(p_invitation_id text) RETURNS TABLE(participant_id text, campaign_id text, reason text, milestone integer, description text, kind text, quantity integer, amount bigint, currency text, percent_off numeric)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statement
  i invitations;
BEGIN
  SELECT * INTO i FROM invitations
  WHERE tenant_id = current_tenant AND id = p_invitation_id AND completed_at IS NOT NULL;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  RETURN QUERY
  SELECT e.participant_id, e.campaign_id, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency, e.percent_off
  FROM earned_rewards_of(ARRAY[i.id], ARRAY[i.campaign_id], ARRAY[i.version], ARRAY[i.guest_id], ARRAY[i.host_id],
                         ARRAY[i.completion_number]) e;
END
$$;

ALTER FUNCTION public.earned_rewards(p_invitation_id text) OWNER TO postgres;

--
-- Name: earned_rewards_of(text[], text[], integer[], text[], text[], integer[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.earned_rewards_of(p_invitation_ids text[], p_campaign_ids text[], p_versions integer[], p_guest_ids text[], p_host_ids text[], p_completion_numbers integer[]) RETURNS TABLE(invitation_id text, participant_id text, campaign_id text, reason text, milestone integer, description text, kind text, quantity integer, amount bigint, currency text, percent_off numeric)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statement
BEGIN
  RETURN QUERY
  SELECT u.id, u.guest_id, u.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency, v.guest_reward_percent_off::numeric
  FROM unnest(p_invitation_ids, p_campaign_ids, p_versions, p_guest_ids) AS u(id, campaign_id, version, guest_id)
  JOIN campaign_versions v ON v.tenant_id = current_tenant AND v.campaign_id = u.campaign_id AND v.version = u.version
  WHERE v.guest_reward_description IS NOT NULL;
  -- Two statements, not a UNION: on Citus, a trigger on a shard may run a
  -- statement only where Citus can route it to the shard beside it, which
  -- it does for a join on the tenant and not for a set operation, and every
  -- table names the tenant as the value.
  RETURN QUERY
  SELECT u.id, u.host_id, u.campaign_id, 'host_milestone', u.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency,
         m.reward_percent_off::numeric
  FROM unnest(p_invitation_ids, p_campaign_ids, p_versions, p_host_ids, p_completion_numbers)
       AS u(id, campaign_id, version, host_id, completion_number)
  JOIN campaign_versions v ON v.tenant_id = current_tenant AND v.campaign_id = u.campaign_id AND v.version = u.version
  JOIN campaign_version_milestones m ON m.tenant_id = current_tenant AND m.campaign_id = u.campaign_id AND m.version = u.version
  WHERE m.nth = u.completion_number
     OR (v.repeat_last_milestone AND u.completion_number > m.nth
         AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                      WHERE l.tenant_id = current_tenant AND l.campaign_id = m.campaign_id AND l.version = m.version));
END
$$;

ALTER FUNCTION public.earned_rewards_of(p_invitation_ids text[], p_campaign_ids text[], p_versions integer[], p_guest_ids text[], p_host_ids text[], p_completion_numbers integer[]) OWNER TO postgres;

--
-- Name: enable_tenant_rls(regclass); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.enable_tenant_rls(t regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $_$
DECLARE
  tenant constant text := CASE WHEN EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')
    THEN $e$NULLIF(current_setting('app.tenant_id', true), '')::uuid$e$
    ELSE $e$(SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid AS app_tenant_id)$e$ END;
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (tenant_id = %s) WITH CHECK (tenant_id = %s)', t, tenant, tenant);
END
$_$;

ALTER FUNCTION public.enable_tenant_rls(t regclass) OWNER TO postgres;

--
-- Name: erase_event_properties(uuid, timestamp with time zone, integer); Type: FUNCTION; Schema: public; Owner: tandem_eraser
--

CREATE FUNCTION public.erase_event_properties(p_tenant_id uuid, p_before timestamp with time zone, p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  blanked integer;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'erase_event_properties runs in its tenant''s transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE events SET properties = '{}'
   WHERE tenant_id = p_tenant_id
     AND id IN (SELECT e.id FROM events e
                 WHERE e.tenant_id = p_tenant_id AND e.received_at < p_before
                   AND e.properties <> '{}' AND e.name <> 'invitation_claimed'
                 ORDER BY e.received_at LIMIT greatest(p_limit, 0));
  GET DIAGNOSTICS blanked = ROW_COUNT;
  RETURN blanked;
END
$$;

ALTER FUNCTION public.erase_event_properties(p_tenant_id uuid, p_before timestamp with time zone, p_limit integer) OWNER TO tandem_eraser;

--
-- Name: erase_participant(uuid, text); Type: FUNCTION; Schema: public; Owner: tandem_eraser
--

CREATE FUNCTION public.erase_participant(p_tenant_id uuid, p_participant_id text) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  p participants;
  olds text[];
  quoted bytea[];
  pseudonym text;
  blanked jsonb;
  messages text[];
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'erase_participant runs in its tenant''s transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO p FROM participants WHERE tenant_id = p_tenant_id AND id = p_participant_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'participant % not found', p_participant_id
      USING ERRCODE = 'no_data_found', CONSTRAINT = 'participant_not_found', DETAIL = 'constraint "participant_not_found"';
  END IF;
  IF p.erased_at IS NOT NULL THEN
    RETURN p.erased_at;
  END IF;

  -- What is to disappear, the external id first (erased_jsonb replaces it
  -- with the pseudonym), and each as a JSON string, as stored bodies quote it.
  SELECT array_agg(DISTINCT v) INTO olds
    FROM (SELECT unnest(ARRAY[p.email, p.phone, p.display_name, p.stripe_customer_id]) AS v
          UNION ALL
          SELECT recipient FROM invitations WHERE tenant_id = p_tenant_id AND host_id = p.id
          UNION ALL
          SELECT recipient FROM invitations WHERE tenant_id = p_tenant_id AND guest_id = p.id
          UNION ALL
          -- Values they had before an update, kept by the snapshots of
          -- participant.* messages.
          SELECT m.snapshot ->> k FROM webhook_messages m, unnest(ARRAY['email', 'phone', 'display_name', 'stripe_customer_id']) k
           WHERE m.tenant_id = p_tenant_id AND m.type LIKE 'participant.%' AND m.object_id = p.external_id) s
   WHERE v IS NOT NULL AND v <> '' AND v <> p.external_id;
  olds := ARRAY[p.external_id] || coalesce(olds, '{}');
  SELECT array_agg(convert_to(to_jsonb(v)::text, 'UTF8')) INTO quoted FROM unnest(olds) v;
  pseudonym := new_id('erased');
  -- Built here, not in the UPDATE: Citus refuses a function that is not
  -- immutable (jsonb_build_object is stable) inside a CASE it sends on.
  blanked := jsonb_build_object('external_id', pseudonym, 'email', NULL, 'phone', NULL, 'display_name', '',
                                'stripe_customer_id', NULL);

  -- The messages about them, before the participant's external id changes.
  SELECT coalesce(array_agg(m.id), '{}') INTO messages
    FROM webhook_messages m
   WHERE m.tenant_id = p_tenant_id AND (
         (m.type LIKE 'participant.%' AND m.object_id = p.external_id)
      OR m.object_id IN (SELECT id FROM invitations WHERE tenant_id = p_tenant_id AND host_id = p.id
                         UNION ALL SELECT id FROM invitations WHERE tenant_id = p_tenant_id AND guest_id = p.id
                         UNION ALL SELECT id FROM reward_tokens WHERE tenant_id = p_tenant_id AND participant_id = p.id
                         UNION ALL SELECT draw_id FROM raffle_entries WHERE tenant_id = p_tenant_id AND participant_id = p.id));

  UPDATE participants
     SET external_id = pseudonym, email = NULL, phone = NULL, display_name = '', stripe_customer_id = NULL,
         erased_at = now(), updated_at = now()
   WHERE tenant_id = p_tenant_id AND id = p.id;

  UPDATE invitations SET recipient = ''
   WHERE tenant_id = p_tenant_id AND (host_id = p.id OR guest_id = p.id) AND recipient <> '';

  -- Risk evidence about them: every detail of their referrals' signals, and
  -- of any other referral's that quotes them (codes and levels stay).
  UPDATE invitations i SET risk_signals = erased_risk_signals(i.risk_signals)
   WHERE i.tenant_id = p_tenant_id AND i.risk_signals IS NOT NULL
     AND (i.host_id = p.id OR i.guest_id = p.id
          OR EXISTS (SELECT 1 FROM unnest(olds) o WHERE strpos(i.risk_signals::text, trim(both '"' from to_jsonb(o)::text)) > 0));

  UPDATE events SET properties = '{}', idempotency_key = NULL
   WHERE tenant_id = p_tenant_id AND participant_id = p.id AND name <> 'invitation_claimed'
     AND (properties <> '{}' OR idempotency_key IS NOT NULL);

  DELETE FROM widget_tokens WHERE tenant_id = p_tenant_id AND participant_id = p.id;
  DELETE FROM participant_clients WHERE tenant_id = p_tenant_id AND participant_id = p.id;

  DELETE FROM api_idempotency a
   WHERE a.tenant_id = p_tenant_id AND a.response_body IS NOT NULL
     AND EXISTS (SELECT 1 FROM unnest(quoted) q WHERE position(q IN a.response_body) > 0);

  UPDATE webhook_messages
     SET object_id = CASE WHEN type LIKE 'participant.%' THEN pseudonym ELSE object_id END,
         snapshot = CASE WHEN type LIKE 'participant.%' THEN snapshot || blanked
                         ELSE erased_jsonb(snapshot, olds, pseudonym) END,
         payload = NULL
   WHERE tenant_id = p_tenant_id AND id = ANY (messages);

  -- The risk evidence their invitations' snapshots carry.
  UPDATE webhook_messages
     SET snapshot = jsonb_set(snapshot, '{risk,signals}', erased_risk_signals(snapshot #> '{risk,signals}'))
   WHERE tenant_id = p_tenant_id AND id = ANY (messages) AND jsonb_typeof(snapshot #> '{risk,signals}') = 'array'
     AND jsonb_array_length(snapshot #> '{risk,signals}') > 0;

  UPDATE webhook_attempts a SET response = '', error = ''
   WHERE a.tenant_id = p_tenant_id
     AND a.delivery_id IN (SELECT d.id FROM webhook_deliveries d WHERE d.tenant_id = p_tenant_id AND d.message_id = ANY (messages))
     AND EXISTS (SELECT 1 FROM unnest(olds) o WHERE strpos(a.response, o) > 0 OR strpos(a.error, o) > 0);

  UPDATE audit_log a
     SET before = erased_jsonb(a.before, olds, pseudonym), after = erased_jsonb(a.after, olds, pseudonym)
   WHERE a.tenant_id = p_tenant_id
     AND EXISTS (SELECT 1 FROM unnest(olds) o
                  WHERE strpos(a.before::text, to_jsonb(o)::text) > 0 OR strpos(a.after::text, to_jsonb(o)::text) > 0);

  PERFORM webhook_record(p_tenant_id, 'participant.erased', pseudonym, '{}');
  RETURN now();
END
$$;

ALTER FUNCTION public.erase_participant(p_tenant_id uuid, p_participant_id text) OWNER TO tandem_eraser;

--
-- Name: erased_jsonb(jsonb, text[], text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.erased_jsonb(doc jsonb, olds text[], pseudonym text) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  CASE jsonb_typeof(doc)
  WHEN 'object' THEN
    RETURN coalesce((SELECT jsonb_object_agg(k, erased_jsonb(v, olds, pseudonym)) FROM jsonb_each(doc) AS e(k, v)), '{}'::jsonb);
  WHEN 'array' THEN
    RETURN coalesce((SELECT jsonb_agg(erased_jsonb(v, olds, pseudonym) ORDER BY n)
                     FROM jsonb_array_elements(doc) WITH ORDINALITY AS e(v, n)), '[]'::jsonb);
  WHEN 'string' THEN
    IF doc #>> '{}' = olds[1] THEN
      RETURN to_jsonb(pseudonym);
    ELSIF doc #>> '{}' = ANY (olds)
          OR EXISTS (SELECT 1 FROM unnest(olds) o WHERE length(o) >= 6 AND strpos(doc #>> '{}', o) > 0) THEN
      RETURN '""'::jsonb;
    END IF;
    RETURN doc;
  ELSE
    RETURN doc;
  END CASE;
END
$$;

ALTER FUNCTION public.erased_jsonb(doc jsonb, olds text[], pseudonym text) OWNER TO postgres;

--
-- Name: erased_participant_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.erased_participant_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  who text;
  erased timestamptz;
BEGIN
  -- The trigger names the column that holds the participant (on Citus
  -- TG_TABLE_NAME is a shard's name); each branch reads a column of its own
  -- table only, as an expression is planned when first run, against the
  -- row's type.
  IF TG_ARGV[0] = 'host_id' THEN
    who := NEW.host_id;
  ELSE
    who := NEW.participant_id;
  END IF;
  SELECT p.erased_at INTO erased FROM participants p
   WHERE p.tenant_id = NEW.tenant_id AND p.id = who FOR KEY SHARE;
  IF erased IS NOT NULL THEN
    RAISE EXCEPTION 'participant % was erased, and nothing personal is recorded about them again', who
      USING ERRCODE = 'check_violation', CONSTRAINT = 'participant_erased_records_nothing',
            DETAIL = 'constraint "participant_erased_records_nothing"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.erased_participant_guard() OWNER TO postgres;

--
-- Name: erased_risk_signals(jsonb); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.erased_risk_signals(signals jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$
  SELECT jsonb_agg(CASE WHEN jsonb_typeof(s) = 'object' AND s ? 'detail' THEN s || '{"detail": ""}'::jsonb ELSE s END ORDER BY n)
  FROM jsonb_array_elements(signals) WITH ORDINALITY AS e(s, n)
$$;

ALTER FUNCTION public.erased_risk_signals(signals jsonb) OWNER TO postgres;

--
-- Name: evaluate_invitation(text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.evaluate_invitation(p_invitation_id text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  PERFORM evaluate_invitations(ARRAY[p_invitation_id]);
END
$$;

ALTER FUNCTION public.evaluate_invitation(p_invitation_id text) OWNER TO postgres;

--
-- Name: evaluate_invitations(text[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.evaluate_invitations(p_invitation_ids text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    SET enable_hashjoin TO 'off'
    SET enable_mergejoin TO 'off'
    AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  UPDATE invitations i SET progress = i.progress
  FROM unnest(p_invitation_ids) WITH ORDINALITY AS o(id, n)
  WHERE i.tenant_id = current_tenant AND i.id = o.id
    AND i.guest_id IS NOT NULL AND i.completed_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.tenant_id = i.tenant_id AND c.id = i.campaign_id AND c.status = 'ended');
END
$$;

ALTER FUNCTION public.evaluate_invitations(p_invitation_ids text[]) OWNER TO postgres;

--
-- Name: event_effects(uuid, text[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.event_effects(p_tenant_id uuid, p_event_ids text[]) RETURNS TABLE(event_id text, effects jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  -- A value, as ingest_events takes it: on Citus each statement below
  -- routes to the tenant's worker. It must be the transaction's own.
  current_tenant uuid := p_tenant_id;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'event_effects: tenant % is not the transaction''s', p_tenant_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
  SELECT e.id,
    CASE
      WHEN e.name = 'invitation_claimed' THEN
        jsonb_build_array(jsonb_build_object('type', 'claimed', 'invitation', e.properties ->> 'invitation'))
      WHEN NOT EXISTS (SELECT 1 FROM campaign_version_steps s WHERE s.tenant_id = current_tenant AND s.event_name = e.name) THEN
        '[{"type": "not_a_step"}]'::jsonb
      WHEN pair.first_event_id <> e.id THEN
        jsonb_build_array(jsonb_build_object('type', 'repeated', 'step_name', e.name))
      WHEN NOT EXISTS (SELECT 1 FROM invitations i WHERE i.tenant_id = current_tenant AND i.guest_id = e.participant_id) THEN
        '[{"type": "no_invitation"}]'::jsonb
      ELSE coalesce(x.effects, '[{"type": "not_a_step"}]'::jsonb)
    END
  FROM unnest(p_event_ids) WITH ORDINALITY AS u(id, ord)
  JOIN events e ON e.tenant_id = current_tenant AND e.id = u.id
  LEFT JOIN participant_event_names pair ON pair.tenant_id = current_tenant
                                        AND pair.participant_id = e.participant_id AND pair.name = e.name
  LEFT JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object(
             'type', CASE
               WHEN i.completed_at IS NOT NULL AND q.all_done THEN 'completed'
               WHEN q.before_done THEN 'advanced'
               ELSE 'early' END,
             'invitation', i.id, 'campaign', c.slug, 'step', s.position, 'steps', q.total, 'step_name', s.event_name)
           ORDER BY i.claimed_at, i.id) AS effects
    FROM invitations i
    JOIN campaigns c ON c.tenant_id = current_tenant AND c.id = i.campaign_id
    JOIN campaign_version_steps s ON s.tenant_id = current_tenant AND s.campaign_id = i.campaign_id
                                 AND s.version = i.version AND s.event_name = e.name
    -- Which of the version's steps were done by this event at the latest
    -- (all_done), and which before it (before_done, the earlier steps):
    -- ids sort in the order events were stored.
    CROSS JOIN LATERAL (
      SELECT count(*)::integer AS total,
             coalesce(bool_and(p.name IS NOT NULL AND (p.first_event_id IS NULL OR p.first_event_id <= e.id)), true) AS all_done,
             coalesce(bool_and(p.name IS NOT NULL AND (p.first_event_id IS NULL OR p.first_event_id < e.id))
                      FILTER (WHERE s2.position < s.position), true) AS before_done
      FROM campaign_version_steps s2
      LEFT JOIN participant_event_names p ON p.tenant_id = current_tenant
                                         AND p.participant_id = e.participant_id AND p.name = s2.event_name
      WHERE s2.tenant_id = current_tenant AND s2.campaign_id = i.campaign_id AND s2.version = i.version) q
    -- Not read for a repeat (a one-time filter of each row).
    WHERE i.tenant_id = current_tenant AND i.guest_id = e.participant_id
      AND (pair.first_event_id IS NULL OR pair.first_event_id = e.id)) x ON true
  ORDER BY u.ord;
END
$$;

ALTER FUNCTION public.event_effects(p_tenant_id uuid, p_event_ids text[]) OWNER TO postgres;

--
-- Name: events_erasable(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.events_erasable() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND current_user = 'tandem_eraser'
     AND NEW.properties = '{}'::jsonb
     AND (NEW.idempotency_key IS NULL OR NEW.idempotency_key = OLD.idempotency_key)
     AND (NEW.tenant_id, NEW.id, NEW.participant_id, NEW.name, NEW.occurred_at, NEW.received_at)
         = (OLD.tenant_id, OLD.id, OLD.participant_id, OLD.name, OLD.occurred_at, OLD.received_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;

ALTER FUNCTION public.events_erasable() OWNER TO postgres;

--
-- Name: events_record_names(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.events_record_names() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid;
  participants text[];
  names text[];
  ids text[];
  new_participants text[];
  new_names text[];
  new_ids text[];
BEGIN
  FOR current_tenant, participants, names, ids IN
    SELECT n.tenant_id, array_agg(n.participant_id), array_agg(n.name), array_agg(n.id)
      FROM new_events n
     GROUP BY n.tenant_id
  LOOP
    -- A single event's pair is inserted as VALUES, whose conflict check is
    -- the probe: on Citus that is a statement routed to the tenant's shard,
    -- where an INSERT … SELECT goes through intermediate results (about 1
    -- ms of a single event's 5.7 on the worker).
    IF cardinality(ids) = 1 THEN
      INSERT INTO participant_event_names (tenant_id, participant_id, name, first_event_id)
      VALUES (current_tenant, participants[1], names[1], ids[1])
      ON CONFLICT DO NOTHING;
      CONTINUE;
    END IF;
    -- Each new pair keeps the event that recorded it (the statement's
    -- lowest id of the pair), which the event log reads as the one that
    -- counted. They are found first and inserted only when there are any:
    -- on Citus an INSERT … SELECT goes through intermediate results, about
    -- 1 ms of the worker's time even when it inserts nothing.
    SELECT array_agg(n.participant_id), array_agg(n.name), array_agg(n.first_event_id)
      INTO new_participants, new_names, new_ids
      FROM (SELECT u.participant_id, u.name, min(u.id) AS first_event_id
              FROM unnest(participants, names, ids) AS u(participant_id, name, id)
             WHERE (SELECT true FROM participant_event_names p
                    WHERE p.tenant_id = current_tenant AND p.participant_id = u.participant_id AND p.name = u.name
                    LIMIT 1) IS NULL
             GROUP BY u.participant_id, u.name) n;
    CONTINUE WHEN new_ids IS NULL;
    INSERT INTO participant_event_names (tenant_id, participant_id, name, first_event_id)
    SELECT current_tenant, u.participant_id, u.name, u.first_event_id
      FROM unnest(new_participants, new_names, new_ids) AS u(participant_id, name, first_event_id)
     ORDER BY u.participant_id, u.name
    ON CONFLICT DO NOTHING;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.events_record_names() OWNER TO postgres;

--
-- Name: find_api_key(text); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.find_api_key(p_lookup text) RETURNS TABLE(tenant_id uuid, key_id text, kind text, secret_hash text, allowed_origins text[], deletion_due_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT k.tenant_id, k.id, k.kind, k.secret_hash, k.allowed_origins, t.deletion_due_at
    FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
    WHERE k.lookup = p_lookup AND k.revoked_at IS NULL;
END
$$;

ALTER FUNCTION public.find_api_key(p_lookup text) OWNER TO tandem_definer;

--
-- Name: find_invite_code_tenant(text); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.find_invite_code_tenant(p_code text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$ SELECT c.tenant_id FROM invite_codes c JOIN tenants t ON t.id = c.tenant_id
       WHERE c.code = upper(p_code) AND t.deletion_due_at IS NULL $$;

ALTER FUNCTION public.find_invite_code_tenant(p_code text) OWNER TO tandem_definer;

--
-- Name: find_member_invitation(bytea); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.find_member_invitation(p_token_hash bytea) RETURNS TABLE(tenant_id uuid, invitation_id text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT i.tenant_id, i.id FROM member_invitations i WHERE i.token_hash = p_token_hash;
END
$$;

ALTER FUNCTION public.find_member_invitation(p_token_hash bytea) OWNER TO tandem_definer;

--
-- Name: find_members_by_email(text); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.find_members_by_email(p_email text) RETURNS TABLE(tenant_id uuid, member_id text, password_hash text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT m.tenant_id, m.id, m.password_hash FROM members m WHERE m.email = lower(p_email);
END
$$;

ALTER FUNCTION public.find_members_by_email(p_email text) OWNER TO tandem_definer;

--
-- Name: find_tenant_by_slug(text); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.find_tenant_by_slug(p_slug text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$ SELECT t.id FROM tenants t WHERE t.slug = p_slug $$;

ALTER FUNCTION public.find_tenant_by_slug(p_slug text) OWNER TO tandem_definer;

--
-- Name: find_tenant_by_stripe_customer(text); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.find_tenant_by_stripe_customer(p_customer text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$ SELECT t.id FROM tenants t WHERE t.stripe_customer_id = p_customer $$;

ALTER FUNCTION public.find_tenant_by_stripe_customer(p_customer text) OWNER TO tandem_definer;

--
-- Name: find_widget_token(bytea); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.find_widget_token(p_token_hash bytea) RETURNS TABLE(tenant_id uuid, token_id text, participant_id text, campaign_id text, expires_at timestamp with time zone, allowed_origins text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT t.tenant_id, t.id, t.participant_id, t.campaign_id, t.expires_at, coalesce(s.allowed_origins, '{}')
    FROM widget_tokens t
    JOIN api_keys k ON k.tenant_id = t.tenant_id AND k.id = t.key_id AND k.revoked_at IS NULL
    JOIN tenants a ON a.id = t.tenant_id AND a.deletion_due_at IS NULL
    LEFT JOIN widget_settings s ON s.tenant_id = t.tenant_id
    WHERE t.token_hash = p_token_hash;
END
$$;

ALTER FUNCTION public.find_widget_token(p_token_hash bytea) OWNER TO tandem_definer;

--
-- Name: forbid_change(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.forbid_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;

ALTER FUNCTION public.forbid_change() OWNER TO postgres;

--
-- Name: host_completions_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.host_completions_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  highest integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.completed <> 1 THEN
      RAISE EXCEPTION 'a host completion counter starts at one'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up', DETAIL = 'constraint "host_completions_count_up"';
    END IF;
    RETURN NEW;
  END IF;
  SELECT max(i.completion_number) INTO highest
  FROM invitations i
  WHERE i.tenant_id = NEW.tenant_id AND i.campaign_id = NEW.campaign_id AND i.host_id = NEW.host_id;
  IF NEW.completed IS DISTINCT FROM highest OR NEW.completed < OLD.completed
     OR (NEW.tenant_id, NEW.campaign_id, NEW.host_id) IS DISTINCT FROM (OLD.tenant_id, OLD.campaign_id, OLD.host_id) THEN
    RAISE EXCEPTION 'a host completion counter only moves up, to the host''s highest completion number'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up', DETAIL = 'constraint "host_completions_count_up"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.host_completions_guard() OWNER TO postgres;

--
-- Name: ingest_events(uuid, text[], text[], text[], timestamp with time zone[], jsonb[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.ingest_events(p_tenant_id uuid, p_participants text[], p_names text[], p_keys text[], p_occurred_at timestamp with time zone[], p_properties jsonb[]) RETURNS TABLE(ord integer, event_id text, status text, effects jsonb)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  -- The tenant comes as an argument: on Citus it is what delegates the call
  -- to the worker holding the tenant (always/citus.sql), so that the whole
  -- batch, its locks and its triggers run there, in one local transaction.
  -- It must be the transaction's own.
  current_tenant uuid := p_tenant_id;
  n integer := cardinality(p_names);
  new_ids text[];
  names text[];           -- the batch's names, each once
  defined text[];         -- the batch's names that may be stored: defined, not built in
  one_participant text;   -- a single event's
  participant_ids text[]; -- per input row; NULL for an unknown participant of an undefined name
  inserted bigint;
  stored_ids text[];
  stored_participants text[];
  stored_names text[];
  steps_before text[];    -- the defined names that were a quest step before the insert
  recorded boolean[];     -- per input row: its (participant, step name) pair was recorded before the insert
  fresh text[];           -- guests without a recorded pair for a step name of theirs, before the insert
  steps text[];           -- the stored names that are a quest step somewhere in the tenant
  judged text[];
  open_ids text[];
  repeats jsonb[];        -- per name of steps: the effect of an event whose pair was recorded before
  effect_ids text[];      -- the stored events of a step name whose pair was new, and their effects
  effect_values jsonb[];
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'ingest_events: tenant % is not the transaction''s', p_tenant_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF cardinality(p_participants) <> n OR cardinality(p_keys) <> n
     OR cardinality(p_occurred_at) <> n OR cardinality(p_properties) <> n THEN
    RAISE EXCEPTION 'ingest_events: the input arrays differ in length' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  new_ids := new_sorted_ids('evt', n);

  -- A batch has a handful of names: each is looked up once, not per event.
  -- The names' lookups (here and the quest steps' below) read one table
  -- each, by the tenant and a key: on Citus such a statement is a "fast
  -- path" query, whose plans (its own and its shard's) the worker keeps
  -- from call to call (always/citus.sql), where a join or a subquery is
  -- planned twice on every call, about 250 µs of a single event's time
  -- each. The names are made distinct first: an index scan sorts the array
  -- of an = ANY, by the names' collation. (The steps' lookups read every
  -- campaign version's step of a name, where EXISTS stopped at the first:
  -- a few index entries more.)
  names := ARRAY(SELECT DISTINCT x.name FROM unnest(p_names) AS x(name));
  SELECT coalesce(array_agg(d.name), '{}') INTO defined
  FROM event_definitions d
  WHERE d.tenant_id = current_tenant AND d.name = ANY (names) AND NOT d.builtin;

  -- Each participant is looked up once. Those not known yet are created on
  -- their first mention, for rows whose event is defined, in key order (as
  -- the events below) so that two batches racing on the same participants
  -- wait for each other instead of deadlocking; then they are looked up
  -- again. Most events come from known participants, and skip the insert
  -- and the plan-limit trigger it fires once per statement (00025). A
  -- single event's participant is read by its key alone, a fast-path query
  -- on Citus (above); a batch's are probed one by one, not through an =
  -- ANY, whose sort of a thousand external ids cost a batched event 9 µs.
  FOR pass IN 1..2 LOOP
    IF n = 1 THEN
      SELECT p.id INTO one_participant FROM participants p
      WHERE p.tenant_id = current_tenant AND p.external_id = p_participants[1];
      participant_ids := ARRAY[one_participant];
    ELSE
      participant_ids := ARRAY(
        SELECT p.id FROM unnest(p_participants) WITH ORDINALITY AS i(external_id, ord)
        LEFT JOIN LATERAL (SELECT p.id FROM participants p
                           WHERE p.tenant_id = current_tenant AND p.external_id = i.external_id LIMIT 1) p ON true
        ORDER BY i.ord);
    END IF;
    EXIT WHEN pass = 2 OR NOT EXISTS (
      SELECT 1 FROM unnest(participant_ids, p_names) AS i(id, name) WHERE i.id IS NULL AND i.name = ANY (defined));
    INSERT INTO participants (tenant_id, external_id)
    SELECT DISTINCT current_tenant, i.external_id
    FROM unnest(p_participants, p_names, participant_ids) AS i(external_id, name, id)
    WHERE i.id IS NULL AND i.name = ANY (defined)
    ORDER BY i.external_id
    ON CONFLICT (tenant_id, external_id) DO NOTHING;
  END LOOP;

  -- Judging reads the set of names each guest has sent (quest_state reads
  -- participant_event_names), so an event whose (guest, name) pair is
  -- already recorded cannot move any invitation: the pair's first event had
  -- its guest judged when it was stored, or its name was no step then, and
  -- whatever made it a step (publishing, a migration) or claimed an
  -- invitation since judged with the pair in sight. Only guests with a step
  -- name not yet recorded are judged below. Asked before the insert, whose
  -- trigger records the new pairs; a pair another transaction is recording
  -- meanwhile is not seen, and its guest is judged by both, which is safe.
  SELECT coalesce(array_agg(DISTINCT s.event_name), '{}') INTO steps_before
  FROM campaign_version_steps s
  WHERE s.tenant_id = current_tenant AND s.event_name = ANY (defined);
  -- The answer per row is kept: a row whose pair was recorded repeats it,
  -- which is its whole effect (below).
  IF cardinality(steps_before) > 0 AND n = 1 THEN
    -- A single event's name is then the step: its pair is read by its key
    -- alone (a fast-path query on Citus).
    PERFORM 1 FROM participant_event_names e
    WHERE e.tenant_id = current_tenant AND e.participant_id = participant_ids[1] AND e.name = p_names[1];
    recorded := ARRAY[FOUND];
    fresh := CASE WHEN recorded[1] THEN '{}' ELSE participant_ids END;
  ELSIF cardinality(steps_before) > 0 THEN
    recorded := ARRAY(
      SELECT CASE WHEN i.name = ANY (steps_before) THEN
               EXISTS (SELECT 1 FROM participant_event_names e
                       WHERE e.tenant_id = current_tenant AND e.participant_id = i.id AND e.name = i.name)
             ELSE false END
      FROM unnest(participant_ids, p_names) WITH ORDINALITY AS i(id, name, ord)
      ORDER BY i.ord);
    fresh := ARRAY(
      SELECT DISTINCT i.id FROM unnest(participant_ids, p_names, recorded) AS i(id, name, recorded)
      WHERE i.name = ANY (steps_before) AND NOT i.recorded
      ORDER BY i.id);
  ELSE
    recorded := array_fill(false, ARRAY[n]);
  END IF;

  -- The defined names that are no step yet are locked (shared) until the
  -- commit, before the insert: publishing a version that makes one of them a
  -- step waits for this transaction, whose events it would otherwise judge
  -- without (campaign_versions_await_events). Steps are not locked: their
  -- new pairs are judged here. The keys and their order are
  -- lock_event_names's; the locks are taken here, not through it: the call
  -- of a function with its own settings cost a single page view about 60 µs
  -- of backend CPU (about 420 instead of 360, make bench -quick on one
  -- connection, twice each), taken inline the difference is within noise.
  IF cardinality(steps_before) < cardinality(defined) THEN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('event_name:' || current_tenant::text || '/' || u.name, 0))
    FROM unnest(defined) AS u(name) WHERE u.name <> ALL (steps_before) ORDER BY u.name;
  END IF;

  -- The first row of each idempotency key in the batch is the candidate.
  -- A key is almost never taken, so the rows are inserted plainly, one
  -- probe of the key's index each; only when a key is taken (a retry, or a
  -- concurrent batch with the same key, waited for) is the insert undone
  -- and made again with ON CONFLICT DO NOTHING, which probes the index once
  -- more per row to skip the taken keys. Both insert in key order. A
  -- single event (the API's /v1/events, when it is not grouped with
  -- others: tenants.EventGroups) is inserted as VALUES first: on Citus that
  -- is a statement routed to the tenant's shard, where an INSERT … SELECT
  -- is run by Citus itself, reading the rows and copying them to the shard
  -- (it cost the worker about 3 ms of a single event's 5.7); on one node it
  -- skips the window and the sort. The plain insert returns nothing, and
  -- the rows stored are told from the input (all candidates, or the insert
  -- failed; usually every row, which its count tells): Citus passes the
  -- rows an INSERT … SELECT returns through intermediate results, which
  -- cost the worker about 1.3 ms more for a group of four events.
  BEGIN
    IF n = 1 THEN
      IF p_names[1] = ANY (defined) THEN
        INSERT INTO events (tenant_id, id, participant_id, name, idempotency_key, occurred_at, properties)
        VALUES (current_tenant, new_ids[1], participant_ids[1], p_names[1], p_keys[1],
                coalesce(p_occurred_at[1], now()), coalesce(p_properties[1], '{}'));
        stored_ids := new_ids;
        stored_participants := participant_ids;
        stored_names := p_names;
      END IF;
    ELSE
      WITH input AS (
        SELECT i.*, row_number() OVER (PARTITION BY i.key ORDER BY i.ord) AS nth_of_key
        FROM unnest(new_ids, participant_ids, p_names, p_keys, p_occurred_at, p_properties)
             WITH ORDINALITY AS i(new_id, participant_id, name, key, occurred_at, properties, ord)
        WHERE i.name = ANY (defined)
      )
      INSERT INTO events (tenant_id, id, participant_id, name, idempotency_key, occurred_at, properties)
      SELECT current_tenant, i.new_id, i.participant_id, i.name, i.key, coalesce(i.occurred_at, now()), coalesce(i.properties, '{}')
      FROM input i
      WHERE i.key IS NULL OR i.nth_of_key = 1
      ORDER BY i.key, i.ord;
      GET DIAGNOSTICS inserted = ROW_COUNT;
      IF inserted = n THEN
        stored_ids := new_ids;
        stored_participants := participant_ids;
        stored_names := p_names;
      ELSE
        SELECT array_agg(i.new_id), array_agg(i.participant_id), array_agg(i.name)
        INTO stored_ids, stored_participants, stored_names
        FROM (SELECT u.*, row_number() OVER (PARTITION BY u.key ORDER BY u.ord) AS nth_of_key
              FROM unnest(new_ids, participant_ids, p_names, p_keys) WITH ORDINALITY AS u(new_id, participant_id, name, key, ord)
              WHERE u.name = ANY (defined)) i
        WHERE i.key IS NULL OR i.nth_of_key = 1;
      END IF;
    END IF;
  EXCEPTION WHEN unique_violation THEN
    WITH input AS (
      SELECT i.*, row_number() OVER (PARTITION BY i.key ORDER BY i.ord) AS nth_of_key
      FROM unnest(new_ids, participant_ids, p_names, p_keys, p_occurred_at, p_properties)
           WITH ORDINALITY AS i(new_id, participant_id, name, key, occurred_at, properties, ord)
      WHERE i.name = ANY (defined)
    ), inserted AS (
      INSERT INTO events (tenant_id, id, participant_id, name, idempotency_key, occurred_at, properties)
      SELECT current_tenant, i.new_id, i.participant_id, i.name, i.key, coalesce(i.occurred_at, now()), coalesce(i.properties, '{}')
      FROM input i
      WHERE i.key IS NULL OR i.nth_of_key = 1
      ORDER BY i.key, i.ord
      ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
      RETURNING id, participant_id, name
    )
    SELECT array_agg(id), array_agg(participant_id), array_agg(name)
    INTO stored_ids, stored_participants, stored_names
    FROM inserted;
  END;
  stored_ids := coalesce(stored_ids, '{}');

  -- Which defined names are a quest step is asked again after the insert,
  -- so that it sees at least what the insert's snapshot saw: a name that
  -- became a step in between had no pairs asked about, and all the guests
  -- who sent it are judged. (A defined name none of whose events was
  -- stored, every key taken, matches no stored event below.)
  SELECT coalesce(array_agg(DISTINCT s.event_name), '{}') INTO steps
  FROM campaign_version_steps s
  WHERE s.tenant_id = current_tenant AND s.event_name = ANY (defined);
  judged := coalesce(fresh, '{}');
  IF EXISTS (SELECT 1 FROM unnest(steps) AS s(name) WHERE s.name <> ALL (steps_before)) THEN
    judged := ARRAY(
      SELECT g FROM unnest(judged) AS g
      UNION
      SELECT x.participant_id FROM unnest(stored_participants, stored_names) AS x(participant_id, name)
      WHERE x.name = ANY (steps) AND x.name <> ALL (steps_before)
      ORDER BY 1);
  END IF;
  IF cardinality(judged) > 0 THEN
    -- Lock order, the same in every transaction: the guests (shared), then
    -- all their open invitations by (host, id), and only then, while
    -- judging in that order, the hosts' completion counters. Concurrent
    -- batches wait for each other instead of deadlocking.
    PERFORM lock_guests(judged, false);
    -- A join on the guests, not guest_id = ANY (judged): the generic plan
    -- of that read every open invitation of the tenant in host order and
    -- searched the array for each (0.6 s for a batch of 1,000 guests).
    open_ids := ARRAY(
      SELECT inv.id FROM unnest(judged) AS g(guest_id)
      JOIN invitations inv ON inv.tenant_id = current_tenant AND inv.guest_id = g.guest_id AND inv.completed_at IS NULL
      ORDER BY inv.host_id, inv.id
      FOR UPDATE OF inv);
    -- Judged in one statement, in that order (evaluate_invitations): a
    -- statement per invitation cost each completion its own executor start
    -- and its own issuing insert (about half its CPU in a batch).
    PERFORM evaluate_invitations(open_ids);
  END IF;

  -- What each stored event of a step name did, read after judging. An event
  -- whose pair was recorded before repeats it and moved nothing: its effect
  -- is known without a read, the same for every repeat of a name, and made
  -- once a name (repeats are most step events: reading them through
  -- event_effects doubled PostgreSQL's time per batched event, and making
  -- the same JSON for each cost a repeat about 2 µs of the 20 it costs).
  -- The others, whose pair is new, event_effects judges from the rows: they
  -- are judged guests' events, so there are none when no guest was judged.
  -- An event of a name that is no step moved nothing, which the caller
  -- tells from its NULL (page views, the bulk of ingestion, cost no more).
  IF cardinality(steps) > 0 THEN
    repeats := ARRAY(SELECT jsonb_build_array(jsonb_build_object('type', 'repeated', 'step_name', s.name))
                     FROM unnest(steps) WITH ORDINALITY AS s(name, k) ORDER BY s.k);
  END IF;
  IF cardinality(judged) > 0 THEN
    SELECT array_agg(f.event_id), array_agg(f.effects)
    INTO effect_ids, effect_values
    FROM event_effects(current_tenant, ARRAY(
      SELECT x.id FROM unnest(new_ids, p_names, recorded) AS x(id, name, recorded)
      JOIN unnest(stored_ids) AS s(id) ON s.id = x.id
      WHERE x.name = ANY (steps) AND NOT x.recorded)) f;
  END IF;

  -- One answer per input row. When every row was stored (the usual case)
  -- each is "created" under its new id.
  IF cardinality(stored_ids) = n AND effect_ids IS NULL THEN
    RETURN QUERY SELECT i.ord::integer, i.new_id, 'created'::text, CASE WHEN i.recorded THEN repeats[array_position(steps, i.name)] END
    FROM unnest(new_ids, p_names, recorded) WITH ORDINALITY AS i(new_id, name, recorded, ord);
    RETURN;
  END IF;
  IF cardinality(stored_ids) = n THEN
    RETURN QUERY SELECT i.ord::integer, i.new_id, 'created'::text,
                        CASE WHEN i.recorded THEN repeats[array_position(steps, i.name)] ELSE f.effects END
    FROM unnest(new_ids, p_names, recorded) WITH ORDINALITY AS i(new_id, name, recorded, ord)
    LEFT JOIN unnest(effect_ids, effect_values) AS f(id, effects) ON f.id = i.new_id
    ORDER BY i.ord;
    RETURN;
  END IF;
  -- Otherwise the rows not stored look up why: an unknown or reserved name,
  -- or a taken key (then the stored event, by its unique key). The stored
  -- ones are found by a hash join on their ids, not a search of the array
  -- per row; LIMIT 1 keeps each lookup a probe of a unique index per row
  -- (without it the planner may join the tenant's whole events table).
  RETURN QUERY
  SELECT i.ord::integer,
         CASE WHEN d.name IS NULL OR d.builtin THEN NULL
              WHEN i.stored THEN i.new_id ELSE e.id END,
         CASE
           WHEN d.name IS NULL THEN 'unknown_event'
           WHEN d.builtin THEN 'reserved_event'
           WHEN i.stored THEN 'created'
           WHEN e.participant_id = i.participant_id AND e.name = i.name
                AND e.properties = coalesce(i.properties, '{}')
                AND (i.occurred_at IS NULL OR e.occurred_at = i.occurred_at) THEN 'duplicate'
           ELSE 'idempotency_key_reused'
         END,
         CASE WHEN i.stored AND i.recorded THEN repeats[array_position(steps, i.name)] ELSE f.effects END
  FROM (SELECT u.*, s.id IS NOT NULL AS stored
        FROM unnest(new_ids, participant_ids, p_names, p_keys, p_occurred_at, p_properties, recorded)
             WITH ORDINALITY AS u(new_id, participant_id, name, key, occurred_at, properties, recorded, ord)
        LEFT JOIN unnest(stored_ids) AS s(id) ON s.id = u.new_id) i
  LEFT JOIN event_definitions d ON d.tenant_id = current_tenant AND d.name = i.name
  LEFT JOIN unnest(effect_ids, effect_values) AS f(id, effects) ON i.stored AND f.id = i.new_id
  LEFT JOIN LATERAL (
    SELECT e.id, e.participant_id, e.name, e.properties, e.occurred_at FROM events e
    WHERE i.key IS NOT NULL AND NOT i.stored
      AND e.tenant_id = current_tenant AND e.idempotency_key = i.key
    LIMIT 1) e ON true
  ORDER BY i.ord;
END
$$;

ALTER FUNCTION public.ingest_events(p_tenant_id uuid, p_participants text[], p_names text[], p_keys text[], p_occurred_at timestamp with time zone[], p_properties jsonb[]) OWNER TO postgres;

--
-- Name: invitations_after_claim(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.invitations_after_claim() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  PERFORM lock_guest(NEW.guest_id, true);
  PERFORM record_claim_event(NEW.id);
  PERFORM evaluate_invitation(NEW.id);
  RETURN NULL;
END
$$;

ALTER FUNCTION public.invitations_after_claim() OWNER TO postgres;

--
-- Name: invitations_before_insert(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.invitations_before_insert() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  c campaigns;
  ttl integer;
BEGIN
  SELECT * INTO c FROM campaigns WHERE tenant_id = NEW.tenant_id AND id = NEW.campaign_id;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key reports it
  END IF;
  IF NOT campaign_is_live(c.status, c.starts_at, c.ends_at) THEN
    RAISE EXCEPTION 'campaign % is not active', c.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_not_active', DETAIL = 'constraint "campaign_not_active"';
  END IF;
  NEW.created_at := now();
  NEW.progress := 0;
  NEW.completed_at := NULL;
  NEW.completion_number := NULL;
  -- Only the expiry sweep marks an invitation expired, never its insert.
  IF NEW.expired_at IS NOT NULL THEN
    RAISE EXCEPTION 'an invitation is marked expired by the expiry sweep, not at its insert'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_expiry_marked_once', DETAIL = 'constraint "invitation_expiry_marked_once"';
  END IF;
  IF NEW.kind = 'invitation' THEN
    IF NEW.guest_id IS NOT NULL THEN
      RAISE EXCEPTION 'a manual invitation starts pending'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_shape', DETAIL = 'constraint "invitation_shape"';
    END IF;
    SELECT v.invitation_ttl_hours INTO ttl FROM campaign_versions v
    WHERE v.tenant_id = c.tenant_id AND v.campaign_id = c.id AND v.version = c.current_version;
    IF NEW.code IS NULL THEN
      RAISE EXCEPTION 'a manual invitation comes with a code drawn by register_code(''invitation'')'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_shape', DETAIL = 'constraint "invitation_shape"';
    END IF;
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

ALTER FUNCTION public.invitations_before_insert() OWNER TO postgres;

--
-- Name: invitations_before_update(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.invitations_before_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
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

ALTER FUNCTION public.invitations_before_update() OWNER TO tandem_referee;

--
-- Name: invitations_completed(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.invitations_completed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid;
  ids text[];
  campaign_ids text[];
  versions integer[];
  guest_ids text[];
  host_ids text[];
  numbers integer[];
BEGIN
  -- The statement's completions are its complete rows less those that
  -- were complete before it, a set difference rather than a join of the
  -- two transition tables: a statement's plan is kept for the session,
  -- made for the row counts of its first call, and a join planned for one
  -- row scanned the old rows once per new row (a batch of 1,000 completions
  -- on a connection that had claimed once: 70 ms). A row complete before
  -- is the same row in both (invitation_fields_fixed, invitation_completed
  -- and invitation_already_claimed keep these columns), so it cancels out.
  FOR current_tenant, ids, campaign_ids, versions, guest_ids, host_ids, numbers IN
    SELECT c.tenant_id, array_agg(c.id ORDER BY c.id), array_agg(c.campaign_id ORDER BY c.id), array_agg(c.version ORDER BY c.id),
           array_agg(c.guest_id ORDER BY c.id), array_agg(c.host_id ORDER BY c.id), array_agg(c.completion_number ORDER BY c.id)
    FROM (SELECT n.tenant_id, n.id, n.campaign_id, n.version, n.guest_id, n.host_id, n.completion_number
          FROM new_invitations n WHERE n.completed_at IS NOT NULL
          EXCEPT
          SELECT o.tenant_id, o.id, o.campaign_id, o.version, o.guest_id, o.host_id, o.completion_number
          FROM old_invitations o WHERE o.completed_at IS NOT NULL) c
    GROUP BY c.tenant_id
  LOOP
    UPDATE host_completions h SET completed = m.highest
    FROM (SELECT u.campaign_id, u.host_id, max(u.number) AS highest
          FROM unnest(campaign_ids, host_ids, numbers) AS u(campaign_id, host_id, number)
          GROUP BY u.campaign_id, u.host_id) m
    WHERE h.tenant_id = current_tenant AND h.campaign_id = m.campaign_id AND h.host_id = m.host_id
      AND h.completed < m.highest;
    -- Born held or issued, and when an issued one expires, as
    -- reward_tokens_issue_guard decides for any other insert.
    INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone,
                               description, kind, quantity, amount, currency, percent_off, status, expires_at)
    SELECT current_tenant, e.participant_id, e.campaign_id, e.invitation_id, e.reason, e.milestone,
           e.description, e.kind, e.quantity, e.amount, e.currency, e.percent_off,
           CASE WHEN h.held THEN 'held' ELSE 'issued' END,
           CASE WHEN NOT h.held THEN now() + make_interval(days => v.reward_expires_after_days) END
    FROM earned_rewards_of(ids, campaign_ids, versions, guest_ids, host_ids, numbers) e
    JOIN invitations i ON i.tenant_id = current_tenant AND i.id = e.invitation_id
    JOIN campaign_versions v ON v.tenant_id = current_tenant AND v.campaign_id = i.campaign_id AND v.version = i.version
    CROSS JOIN LATERAL (SELECT reward_born_held(v.review, v.review_threshold, i.risk_level) AS held) h;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.invitations_completed() OWNER TO tandem_referee;

--
-- Name: invitations_recipient_erasable(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.invitations_recipient_erasable() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF current_user = 'tandem_eraser' AND NEW.recipient = '' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'invitation % keeps its host, campaign and code', OLD.id
    USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_fields_fixed', DETAIL = 'constraint "invitation_fields_fixed"';
END
$$;

ALTER FUNCTION public.invitations_recipient_erasable() OWNER TO postgres;

--
-- Name: invitations_risk_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.invitations_risk_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  blocks boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.risk_level IS NOT NULL
     AND (NEW.risk_level IS NULL OR (OLD.risk_level = 'high' AND NEW.risk_level <> 'high')) THEN
    RAISE EXCEPTION 'invitation % keeps the risk it was found to carry', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_risk_only_rises', DETAIL = 'constraint "invitation_risk_only_rises"';
  END IF;
  IF NEW.risk_level = 'high' AND NEW.guest_id IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.guest_id IS NULL) THEN
    SELECT v.block_high_risk INTO blocks FROM campaign_versions v
    WHERE v.tenant_id = NEW.tenant_id AND v.campaign_id = NEW.campaign_id AND v.version = NEW.version;
    IF blocks THEN
      RAISE EXCEPTION 'the claim of invitation % carries a high risk, which its campaign blocks', NEW.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_blocked', DETAIL = 'constraint "claim_blocked"';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.invitations_risk_guard() OWNER TO postgres;

--
-- Name: invitations_rollup(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.invitations_rollup() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid;
  tenant_ids uuid[];
  campaign_ids text[];
  signs integer[];
  claims integer[];
  completions integer[];
  progresses integer[];
  created_days date[];
  claimed_days date[];
  completed_days date[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.tenant_id), array_agg(n.campaign_id), array_agg(1), array_agg((n.guest_id IS NOT NULL)::integer),
           array_agg((n.completed_at IS NOT NULL)::integer), array_agg(n.progress), array_agg(utc_day(n.created_at)),
           array_agg(utc_day(n.claimed_at)), array_agg(utc_day(n.completed_at))
    INTO tenant_ids, campaign_ids, signs, claims, completions, progresses, created_days, claimed_days, completed_days
    FROM new_invitations n;
  ELSE
    SELECT array_agg(r.tenant_id), array_agg(r.campaign_id), array_agg(r.sign), array_agg((r.guest_id IS NOT NULL)::integer),
           array_agg((r.completed_at IS NOT NULL)::integer), array_agg(r.progress), array_agg(utc_day(r.created_at)),
           array_agg(utc_day(r.claimed_at)), array_agg(utc_day(r.completed_at))
    INTO tenant_ids, campaign_ids, signs, claims, completions, progresses, created_days, claimed_days, completed_days
    FROM (SELECT n.tenant_id, n.campaign_id, 1 AS sign, n.guest_id, n.completed_at, n.progress, n.created_at, n.claimed_at
          FROM new_invitations n
          UNION ALL
          SELECT o.tenant_id, o.campaign_id, -1, o.guest_id, o.completed_at, o.progress, o.created_at, o.claimed_at
          FROM old_invitations o) r;
  END IF;

  FOR current_tenant IN SELECT DISTINCT t FROM unnest(tenant_ids) AS t ORDER BY t LOOP
    INSERT INTO rollup_deltas (tenant_id, campaign_id, rollup, created, claimed, completed, reached)
    SELECT current_tenant, f.campaign_id, 'funnel', f.created, f.claimed, f.completed, coalesce(k.reached, '{}')
    FROM (SELECT u.campaign_id, sum(u.sign) AS created, sum(u.sign * u.claim) AS claimed, sum(u.sign * u.completion) AS completed
          FROM unnest(tenant_ids, campaign_ids, signs, claims, completions) AS u(tenant_id, campaign_id, sign, claim, completion)
          WHERE u.tenant_id = current_tenant
          GROUP BY u.campaign_id) f
    LEFT JOIN LATERAL (
      SELECT array_agg(s.n ORDER BY s.k) AS reached
      FROM (SELECT r.k, sum(u.sign) AS n
            FROM unnest(tenant_ids, campaign_ids, signs, progresses) AS u(tenant_id, campaign_id, sign, progress)
            CROSS JOIN generate_series(1, u.progress) AS r(k)
            WHERE u.tenant_id = current_tenant AND u.campaign_id = f.campaign_id
            GROUP BY r.k) s
      HAVING bool_or(s.n <> 0)) k ON true
    WHERE f.created <> 0 OR f.claimed <> 0 OR f.completed <> 0 OR k.reached IS NOT NULL
    ORDER BY f.campaign_id;

    INSERT INTO rollup_deltas (tenant_id, campaign_id, rollup, day, created, claimed, completed)
    SELECT current_tenant, u.campaign_id, 'day', d.day, sum(d.created), sum(d.claimed), sum(d.completed)
    FROM unnest(tenant_ids, campaign_ids, signs, claims, completions, created_days, claimed_days, completed_days)
         AS u(tenant_id, campaign_id, sign, claim, completion, created_day, claimed_day, completed_day)
    CROSS JOIN LATERAL (VALUES (u.created_day, u.sign, 0, 0),
                               (u.claimed_day, 0, u.sign * u.claim, 0),
                               (u.completed_day, 0, 0, u.sign * u.completion)) AS d(day, created, claimed, completed)
    WHERE u.tenant_id = current_tenant AND d.day IS NOT NULL
    GROUP BY u.campaign_id, d.day
    HAVING sum(d.created) <> 0 OR sum(d.claimed) <> 0 OR sum(d.completed) <> 0
    ORDER BY u.campaign_id, d.day;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.invitations_rollup() OWNER TO tandem_referee;

--
-- Name: invitations_signal_codes(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.invitations_signal_codes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  codes text[] := ARRAY(SELECT DISTINCT s ->> 'code' FROM jsonb_array_elements(coalesce(NEW.risk_signals, '[]'::jsonb)) s);
BEGIN
  DELETE FROM invitation_signals
   WHERE tenant_id = NEW.tenant_id AND invitation_id = NEW.id AND code <> ALL (codes);
  INSERT INTO invitation_signals (tenant_id, invitation_id, code)
  SELECT NEW.tenant_id, NEW.id, c FROM unnest(codes) c
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.invitations_signal_codes() OWNER TO tandem_referee;

--
-- Name: invitations_webhooks(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.invitations_webhooks() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  step text;
  done integer;
BEGIN
  -- A tenant without an enabled endpoint stops here, before the steps are read.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id AND e.status = 'enabled') THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.kind = 'invitation' THEN
      PERFORM webhook_record(NEW.tenant_id, 'invitation.created', NEW.id, '{}');
    END IF;
    IF NEW.guest_id IS NOT NULL THEN
      PERFORM webhook_record(NEW.tenant_id, 'invitation.claimed', NEW.id, '{}');
    END IF;
    RETURN NULL;
  END IF;
  IF OLD.guest_id IS NULL AND NEW.guest_id IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.claimed', NEW.id, '{}');
  END IF;
  -- One message per step done: an event that completes a later step first
  -- moves progress by several once the gap fills.
  FOR step, done IN
    SELECT s.event_name, s.position FROM campaign_version_steps s
    WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version
      AND s.position > OLD.progress AND s.position <= NEW.progress AND NEW.version IS NOT DISTINCT FROM OLD.version
    ORDER BY s.position
  LOOP
    PERFORM webhook_record(NEW.tenant_id, 'quest.progressed', NEW.id, jsonb_build_object('step', step, 'done', done));
  END LOOP;
  IF OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.completed', NEW.id, '{}');
  END IF;
  IF OLD.expired_at IS NULL AND NEW.expired_at IS NOT NULL THEN
    PERFORM webhook_record(NEW.tenant_id, 'invitation.expired', NEW.id, '{}');
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.invitations_webhooks() OWNER TO postgres;

--
-- Name: job_outbox_move(integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.job_outbox_move(p_limit integer) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  moved integer;
  queues text[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('job_outbox_move', 0));
  WITH taken AS (
    DELETE FROM job_outbox
     WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM job_outbox ORDER BY created_at, id LIMIT p_limit)
    RETURNING kind, queue, max_attempts, args, created_at, id
  ), queued AS (
    INSERT INTO river_job (kind, queue, max_attempts, args, created_at, scheduled_at)
    SELECT kind, queue, max_attempts, args, created_at, created_at FROM taken ORDER BY created_at, id
    RETURNING queue
  )
  SELECT count(*), array_agg(DISTINCT queue) INTO moved, queues FROM queued;
  PERFORM pg_notify('public.river_insert', jsonb_build_object('queue', q)::text) FROM unnest(queues) q;
  RETURN moved;
END
$$;

ALTER FUNCTION public.job_outbox_move(p_limit integer) OWNER TO postgres;

--
-- Name: list_tenant_ids(); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.list_tenant_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$ SELECT t.id FROM tenants t WHERE t.deletion_due_at IS NULL ORDER BY t.id $$;

ALTER FUNCTION public.list_tenant_ids() OWNER TO tandem_definer;

--
-- Name: lock_event_names(uuid, text[], boolean); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.lock_event_names(p_tenant_id uuid, p_names text[], p_exclusive boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  prefix text := 'event_name:' || p_tenant_id::text || '/';
BEGIN
  IF p_tenant_id IS NULL THEN
    RAISE EXCEPTION 'lock_event_names: no tenant' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(prefix || n.name, 0))
    FROM (SELECT DISTINCT u.name FROM unnest(p_names) AS u(name)) n ORDER BY n.name;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(prefix || n.name, 0))
    FROM (SELECT DISTINCT u.name FROM unnest(p_names) AS u(name)) n ORDER BY n.name;
  END IF;
END
$$;

ALTER FUNCTION public.lock_event_names(p_tenant_id uuid, p_names text[], p_exclusive boolean) OWNER TO postgres;

--
-- Name: lock_guest(text, boolean); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.lock_guest(p_guest_id text, p_exclusive boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN PERFORM lock_guests(ARRAY[p_guest_id], p_exclusive); END $$;

ALTER FUNCTION public.lock_guest(p_guest_id text, p_exclusive boolean) OWNER TO postgres;

--
-- Name: lock_guests(text[], boolean); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.lock_guests(p_guest_ids text[], p_exclusive boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant text := app_tenant_id()::text;
BEGIN
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(current_tenant || '/' || g.id, 0))
    FROM unnest(p_guest_ids) WITH ORDINALITY AS g(id, n) ORDER BY g.n;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(current_tenant || '/' || g.id, 0))
    FROM unnest(p_guest_ids) WITH ORDINALITY AS g(id, n) ORDER BY g.n;
  END IF;
END
$$;

ALTER FUNCTION public.lock_guests(p_guest_ids text[], p_exclusive boolean) OWNER TO postgres;

--
-- Name: lock_plan_limit(uuid, text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.lock_plan_limit(p_tenant uuid, p_limit text) RETURNS void
    LANGUAGE sql
    SET search_path TO 'public', 'pg_temp'
    AS $$ SELECT pg_advisory_xact_lock(hashtextextended('plan_limit:' || p_limit || ':' || p_tenant::text, 0)) $$;

ALTER FUNCTION public.lock_plan_limit(p_tenant uuid, p_limit text) OWNER TO postgres;

--
-- Name: member_invitations_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.member_invitations_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF (OLD.accepted_at IS NOT NULL OR OLD.revoked_at IS NOT NULL)
     AND (NEW.accepted_at IS DISTINCT FROM OLD.accepted_at OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) THEN
    RAISE EXCEPTION 'member invitation % is already used', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'member_invitation_used', DETAIL = 'constraint "member_invitation_used"';
  END IF;
  IF OLD.accepted_at IS NULL AND NEW.accepted_at IS NOT NULL AND OLD.expires_at <= now() THEN
    RAISE EXCEPTION 'member invitation % has expired', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'member_invitation_expired', DETAIL = 'constraint "member_invitation_expired"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.member_invitations_guard() OWNER TO postgres;

--
-- Name: members_forget_inviter(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.members_forget_inviter() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  UPDATE member_invitations SET invited_by = NULL
   WHERE tenant_id = OLD.tenant_id AND invited_by = OLD.id;
  RETURN OLD;
END
$$;

ALTER FUNCTION public.members_forget_inviter() OWNER TO tandem_referee;

--
-- Name: members_keep_an_owner(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.members_keep_an_owner() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF OLD.role = 'owner' AND (TG_OP = 'DELETE' OR NEW.role <> 'owner' OR NEW.tenant_id <> OLD.tenant_id) THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('last_owner:' || OLD.tenant_id::text, 0));
    IF NOT EXISTS (SELECT 1 FROM members m
                   WHERE m.tenant_id = OLD.tenant_id AND m.id <> OLD.id AND m.role = 'owner') THEN
      RAISE EXCEPTION 'member % is the last owner of tenant %', OLD.id, OLD.tenant_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'last_owner', DETAIL = 'constraint "last_owner"', TABLE = 'members';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.members_keep_an_owner() OWNER TO postgres;

--
-- Name: members_within_plan(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.members_within_plan() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  m integer;
BEGIN
  m := plan_limit(NEW.tenant_id, 'team_seats');
  IF m IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM lock_plan_limit(NEW.tenant_id, 'team_seats');
  IF (SELECT count(*) FROM members x WHERE x.tenant_id = NEW.tenant_id) >= m THEN
    PERFORM plan_limit_reached('team_seats', m);
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.members_within_plan() OWNER TO postgres;

--
-- Name: migrate_inflight_batch(uuid, text, integer, integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.migrate_inflight_batch(p_tenant_id uuid, p_campaign_id text, p_version integer, p_limit integer) RETURNS TABLE(moved integer, finished boolean)
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  -- The tenant comes as an argument: on Citus it is what delegates the call
  -- to the worker holding the tenant (always/citus.sql), where the batch's
  -- statements, locks and triggers run in one local transaction, as
  -- ingest_events' do. It must be the transaction's own.
  current_tenant uuid := p_tenant_id;
  done timestamptz;
  last_host text;
  last_id text;
  ids text[];
  n integer;
  inv_id text;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'migrate_inflight_batch: tenant % is not the transaction''s', p_tenant_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 THEN
    RAISE EXCEPTION 'migrate_inflight_batch: a batch moves at least one invitation' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT m.finished_at, coalesce(m.after_host, ''), coalesce(m.after_id, '') INTO done, last_host, last_id
  FROM campaign_migrations m
  WHERE m.tenant_id = current_tenant AND m.campaign_id = p_campaign_id AND m.version = p_version
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no migration of campaign % to version %', p_campaign_id, p_version USING ERRCODE = 'no_data_found';
  END IF;
  IF done IS NOT NULL THEN
    RETURN QUERY SELECT 0, true;
    RETURN;
  END IF;
  ids := ARRAY(
    SELECT i.id FROM invitations i
    WHERE i.tenant_id = current_tenant AND i.campaign_id = p_campaign_id
      AND i.guest_id IS NOT NULL AND i.completed_at IS NULL
      -- After the cursor; written out, not as a row comparison, which
      -- Citus's planner does not take on a shard.
      AND i.host_id >= last_host AND (i.host_id > last_host OR i.id > last_id)
      AND i.version < p_version
    ORDER BY i.host_id, i.id
    LIMIT p_limit
    FOR UPDATE OF i);
  n := cardinality(ids);
  IF n = 0 THEN
    UPDATE campaign_migrations SET finished_at = now()
    WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version;
    RETURN QUERY SELECT 0, true;
    RETURN;
  END IF;
  FOREACH inv_id IN ARRAY ids LOOP
    UPDATE invitations SET version = p_version WHERE tenant_id = current_tenant AND id = inv_id;
  END LOOP;
  -- The cursor's id as a variable of its own: Citus 13.2 crashes a backend
  -- that routes a statement holding an array element (ids[n]).
  last_id := ids[n];
  SELECT i.host_id INTO last_host FROM invitations i WHERE i.tenant_id = current_tenant AND i.id = last_id;
  UPDATE campaign_migrations SET migrated = migrated + n, after_host = last_host, after_id = last_id
  WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version;
  RETURN QUERY SELECT n, false;
END
$$;

ALTER FUNCTION public.migrate_inflight_batch(p_tenant_id uuid, p_campaign_id text, p_version integer, p_limit integer) OWNER TO postgres;

--
-- Name: new_code(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.new_code() RETURNS text
    LANGUAGE sql PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$
  SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', get_byte(r.b, i.pos) % 32 + 1, 1), '' ORDER BY i.n)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) r,
       unnest(ARRAY[0, 1, 2, 3, 4, 5, 9, 10]) WITH ORDINALITY AS i(pos, n)
$$;

ALTER FUNCTION public.new_code() OWNER TO postgres;

--
-- Name: new_id(text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.new_id(prefix text) RETURNS text
    LANGUAGE plpgsql PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN RETURN prefix || '_' || replace(gen_random_uuid()::text, '-', ''); END $$;

ALTER FUNCTION public.new_id(prefix text) OWNER TO postgres;

--
-- Name: new_message_id(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.new_message_id() RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  us bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
  last_us bigint := nullif(current_setting('tandem.last_message_us', true), '')::bigint;
BEGIN
  IF us <= last_us THEN
    us := last_us + 1;
  END IF;
  PERFORM set_config('tandem.last_message_us', us::text, true);
  RETURN 'msg_' || lpad(to_hex(us / 1000), 12, '0') || lpad(to_hex(us % 1000), 3, '0')
    || substr(encode(sha256(uuid_send(gen_random_uuid())), 'hex'), 1, 17);
END
$$;

ALTER FUNCTION public.new_message_id() OWNER TO tandem_referee;

--
-- Name: new_sorted_id(text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.new_sorted_id(prefix text) RETURNS text
    LANGUAGE plpgsql PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN RETURN (new_sorted_ids(prefix, 1))[1]; END $$;

ALTER FUNCTION public.new_sorted_id(prefix text) OWNER TO postgres;

--
-- Name: new_sorted_ids(text, integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.new_sorted_ids(prefix text, n integer) RETURNS text[]
    LANGUAGE plpgsql PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  -- A v4 UUID's 32 hex digits are random but for the 13th (its version)
  -- and two bits of the 17th (its variant): the 48 bits are digits 1 to 12,
  -- the count's start digits 18 to 25.
  random_hex text := replace(gen_random_uuid()::text, '-', '');
  head text := prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
               || substr(random_hex, 1, 12);
  -- Below 2^31, so that the count up stays within 8 hex digits.
  first_count bigint := ('x' || substr(random_hex, 18, 8))::bit(32)::bigint & 2147483647;
BEGIN
  RETURN ARRAY(SELECT head || lpad(to_hex(first_count + i), 8, '0') FROM generate_series(1, n) AS i);
END
$$;

ALTER FUNCTION public.new_sorted_ids(prefix text, n integer) OWNER TO postgres;

--
-- Name: participant_id(text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.participant_id(p_external_id text) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statements
  found_id text;
BEGIN
  SELECT id INTO found_id FROM participants WHERE tenant_id = current_tenant AND external_id = p_external_id;
  IF found_id IS NULL THEN
    INSERT INTO participants (tenant_id, external_id) VALUES (current_tenant, p_external_id)
    ON CONFLICT (tenant_id, external_id) DO NOTHING
    RETURNING id INTO found_id;
  END IF;
  IF found_id IS NULL THEN -- inserted by a concurrent transaction that has committed since
    SELECT id INTO found_id FROM participants WHERE tenant_id = current_tenant AND external_id = p_external_id;
  END IF;
  RETURN found_id;
END
$$;

ALTER FUNCTION public.participant_id(p_external_id text) OWNER TO postgres;

--
-- Name: participants_webhooks(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.participants_webhooks() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  t uuid;
  external text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM webhook_record(NEW.tenant_id, 'participant.updated', NEW.external_id, '{}');
    RETURN NULL;
  END IF;
  FOR t IN SELECT DISTINCT n.tenant_id FROM new_participants n LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                              WHERE e.tenant_id = t AND e.status = 'enabled' AND e.events && ARRAY['participant.created', '*']);
    FOR external IN SELECT n.external_id FROM new_participants n WHERE n.tenant_id = t ORDER BY n.id LOOP
      PERFORM webhook_record(t, 'participant.created', external, '{}');
    END LOOP;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.participants_webhooks() OWNER TO postgres;

--
-- Name: participants_within_plan(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.participants_within_plan() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  t uuid;
  m integer;
BEGIN
  FOR t IN SELECT DISTINCT n.tenant_id FROM new_participants n LOOP
    m := plan_limit(t, 'participants');
    CONTINUE WHEN m IS NULL;
    PERFORM lock_plan_limit(t, 'participants');
    IF (SELECT count(*) FROM (SELECT 1 FROM participants p WHERE p.tenant_id = t LIMIT m + 1) s) > m THEN
      PERFORM plan_limit_reached('participants', m);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.participants_within_plan() OWNER TO postgres;

--
-- Name: plan_limit(uuid, text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.plan_limit(p_tenant uuid, p_limit text) RETURNS integer
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RETURN (SELECT CASE p_limit
    WHEN 'active_campaigns' THEN p.max_active_campaigns
    WHEN 'participants' THEN p.max_participants
    WHEN 'events_per_month' THEN p.max_events_per_month
    WHEN 'team_seats' THEN p.max_team_seats
    WHEN 'webhook_endpoints' THEN p.max_webhook_endpoints END
  FROM tenants t JOIN plans p ON p.id = t.plan
  WHERE t.id = p_tenant);
END
$$;

ALTER FUNCTION public.plan_limit(p_tenant uuid, p_limit text) OWNER TO postgres;

--
-- Name: plan_limit_reached(text, integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.plan_limit_reached(p_limit text, p_max integer) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RAISE EXCEPTION 'the plan allows at most % %', p_max, replace(p_limit, '_', ' ')
    USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_limit_' || p_limit,
      DETAIL = format('constraint "plan_limit_%s"', p_limit);
END
$$;

ALTER FUNCTION public.plan_limit_reached(p_limit text, p_max integer) OWNER TO postgres;

--
-- Name: preview_quest_migration(text, integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.preview_quest_migration(p_campaign_id text, p_version integer, OUT in_flight integer, OUT complete integer, OUT advance integer, OUT fall_back integer, OUT unchanged integer) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
DECLARE
  current_tenant uuid := app_tenant_id();
  steps integer;
BEGIN
  SELECT count(*) INTO steps FROM campaign_version_steps
   WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version;
  SELECT count(*)::integer,
         count(*) FILTER (WHERE j.after = steps)::integer,
         count(*) FILTER (WHERE j.after <> steps AND j.after > j.before)::integer,
         count(*) FILTER (WHERE j.after <> steps AND j.after < j.before)::integer,
         count(*) FILTER (WHERE j.after <> steps AND j.after = j.before)::integer
    INTO in_flight, complete, advance, fall_back, unchanged
    FROM (SELECT i.progress AS before,
                 coalesce(min(s.position) FILTER (WHERE e.name IS NULL) - 1, steps)::integer AS after
            FROM invitations i
            LEFT JOIN campaign_version_steps s
              ON s.tenant_id = current_tenant AND s.campaign_id = p_campaign_id AND s.version = p_version
            LEFT JOIN participant_event_names e
              ON e.tenant_id = current_tenant AND e.participant_id = i.guest_id AND e.name = s.event_name
           WHERE i.tenant_id = current_tenant AND i.campaign_id = p_campaign_id
             AND i.guest_id IS NOT NULL AND i.completed_at IS NULL AND i.version < p_version
           GROUP BY i.id, i.progress) j;
END
$$;

ALTER FUNCTION public.preview_quest_migration(p_campaign_id text, p_version integer, OUT in_flight integer, OUT complete integer, OUT advance integer, OUT fall_back integer, OUT unchanged integer) OWNER TO postgres;

--
-- Name: purge_may_delete(uuid); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.purge_may_delete(p_tenant_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF current_user <> 'tandem_purger' THEN
    RETURN false;
  END IF;
  RETURN EXISTS (SELECT FROM tenants t WHERE t.id = p_tenant_id AND t.deletion_due_at <= now());
END
$$;

ALTER FUNCTION public.purge_may_delete(p_tenant_id uuid) OWNER TO postgres;

--
-- Name: purge_tenant(uuid, integer, boolean); Type: FUNCTION; Schema: public; Owner: tandem_purger
--

CREATE FUNCTION public.purge_tenant(p_tenant_id uuid, p_limit integer, p_resume boolean) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $_$
DECLARE
  purge_order constant text[] := ARRAY[
    'webhook_attempts', 'webhook_deliveries', 'webhook_messages', 'webhook_endpoints',
    'reward_fulfilments', 'reward_tokens', 'raffle_winners', 'raffle_entries', 'raffle_draws', 'host_completions',
    'widget_tokens', 'invitations', 'referrer_codes', 'invite_codes',
    'participant_clients', 'participant_event_names', 'events',
    'campaign_migrations', 'campaign_version_steps', 'campaign_version_milestones',
    'campaign_day_rollups', 'campaign_reward_rollups', 'campaign_rollups', 'campaign_versions', 'campaigns',
    'participants', 'event_definitions', 'member_invitations', 'members', 'api_keys',
    'api_idempotency', 'api_rate_limits', 'fraud_blocklist', 'fraud_keys', 'retention_settings',
    'stripe_connections', 'stripe_events', 'tenant_branding', 'widget_settings', 'job_outbox', 'audit_log'];
  tenant constant text := quote_literal(p_tenant_id);
  batch constant integer := greatest(p_limit, 1);
  due timestamptz;
  resume_at text;
  tables text[];
  start integer;
  i integer;
  extra text[];
  unknown text;
  t text;
  pk text;
  n integer;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'purge_tenant runs in its tenant''s transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT x.deletion_due_at, x.purge_from INTO due, resume_at FROM tenants x WHERE x.id = p_tenant_id;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  IF due IS NULL OR due > now() THEN
    RAISE EXCEPTION 'tenant % is not due for deletion (due %)', p_tenant_id, coalesce(due::text, 'never')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_deletion_not_due', DETAIL = 'constraint "tenant_deletion_not_due"';
  END IF;

  -- A tenant table the order does not name goes first when no other table
  -- points at it (its rows point only at others, or at the tenant); one
  -- that others point at needs its place in the order: the purge refuses
  -- to start rather than stop at its foreign keys.
  SELECT coalesce(array_agg(c.relname::text ORDER BY c.relname), '{}') INTO extra
    FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     AND NOT c.relname::text = ANY (purge_order)
     AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped);
  SELECT string_agg(e, ', ') INTO unknown
    FROM unnest(extra) e
   WHERE EXISTS (SELECT FROM pg_constraint k
                  WHERE k.contype = 'f' AND k.confrelid = e::regclass AND k.conrelid <> k.confrelid);
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'purge_tenant does not know where % go in its order', unknown;
  END IF;

  tables := extra || purge_order;
  start := CASE WHEN p_resume THEN coalesce(array_position(tables, resume_at), 1) ELSE 1 END;
  -- From start to the end, then the tables before start.
  FOR k IN 0 .. cardinality(tables) - 1 LOOP
    i := (start - 1 + k) % cardinality(tables) + 1;
    t := tables[i];
    IF t = 'campaign_versions' THEN
      EXECUTE format('WITH c AS (DELETE FROM campaigns WHERE tenant_id = %1$s RETURNING 1),
                           v AS (DELETE FROM campaign_versions WHERE tenant_id = %1$s RETURNING 1)
                      SELECT (SELECT count(*) FROM c) + (SELECT count(*) FROM v)', tenant) INTO n;
    ELSE
      SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n) INTO pk
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = t::regclass AND i.indisprimary;
      EXECUTE format('DELETE FROM %1$I WHERE tenant_id = %2$s AND (%3$s) IN (SELECT %3$s FROM %1$I WHERE tenant_id = %2$s LIMIT %4$s)',
                     t, tenant, pk, batch);
      GET DIAGNOSTICS n = ROW_COUNT;
    END IF;
    IF n > 0 THEN
      IF t IS DISTINCT FROM resume_at THEN
        UPDATE tenants SET purge_from = t WHERE id = p_tenant_id;
      END IF;
      RETURN n;
    END IF;
  END LOOP;

  -- Nothing of the tenant is left in its tables: River's jobs that name it
  -- (on the node that holds River's table), then the tenant, in one
  -- transaction, so that a job queued by a late writer goes with it or
  -- the writer's row stops the tenant's delete.
  DELETE FROM river_job WHERE args ->> 'tenant_id' = p_tenant_id::text;
  DELETE FROM tenants WHERE id = p_tenant_id;
  RETURN 1;
END
$_$;

ALTER FUNCTION public.purge_tenant(p_tenant_id uuid, p_limit integer, p_resume boolean) OWNER TO tandem_purger;

--
-- Name: quest_progress(text, integer, text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN RETURN (quest_state(p_campaign_id, p_version, p_guest_id)).progress; END $$;

ALTER FUNCTION public.quest_progress(p_campaign_id text, p_version integer, p_guest_id text) OWNER TO postgres;

--
-- Name: quest_state(text, integer, text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.quest_state(p_campaign_id text, p_version integer, p_guest_id text, OUT progress integer, OUT steps integer) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  SELECT coalesce(min(s.position) FILTER (WHERE NOT s.done) - 1, count(*))::integer, count(*)::integer
  INTO progress, steps
  FROM (SELECT s.position,
               EXISTS (SELECT 1 FROM participant_event_names e
                       WHERE e.tenant_id = current_tenant AND e.participant_id = p_guest_id AND e.name = s.event_name) AS done
        FROM campaign_version_steps s
        WHERE s.tenant_id = current_tenant AND s.campaign_id = p_campaign_id AND s.version = p_version) s;
END
$$;

ALTER FUNCTION public.quest_state(p_campaign_id text, p_version integer, p_guest_id text, OUT progress integer, OUT steps integer) OWNER TO postgres;

--
-- Name: raffle_draws_webhooks(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.raffle_draws_webhooks() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  PERFORM webhook_record(NEW.tenant_id, 'raffle.drawn', NEW.id, '{}');
  RETURN NULL;
END
$$;

ALTER FUNCTION public.raffle_draws_webhooks() OWNER TO postgres;

--
-- Name: raffle_winners_within_draw(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.raffle_winners_within_draw() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF NEW.place > (SELECT d.winners FROM raffle_draws d WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.draw_id) THEN
    RAISE EXCEPTION 'draw % asked for fewer winners', NEW.draw_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'raffle_winners_within_draw', DETAIL = 'constraint "raffle_winners_within_draw"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.raffle_winners_within_draw() OWNER TO postgres;

--
-- Name: reached_delta(integer, integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reached_delta(p_from integer, p_to integer) RETURNS bigint[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
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

ALTER FUNCTION public.reached_delta(p_from integer, p_to integer) OWNER TO postgres;

--
-- Name: record_claim_event(text); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.record_claim_event(p_invitation_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statements
  inv invitations;
BEGIN
  SELECT * INTO inv FROM invitations WHERE tenant_id = current_tenant AND id = p_invitation_id;
  IF NOT FOUND OR inv.guest_id IS NULL THEN
    RAISE EXCEPTION 'invitation % is not claimed', p_invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reserved_event', DETAIL = 'constraint "reserved_event"';
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

ALTER FUNCTION public.record_claim_event(p_invitation_id text) OWNER TO tandem_referee;

--
-- Name: register_code(text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.register_code(p_kind text) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
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

ALTER FUNCTION public.register_code(p_kind text) OWNER TO postgres;

--
-- Name: reserve_login_attempt(text[], integer[], double precision[], double precision[], boolean[], double precision); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait double precision[], p_max_wait double precision[], p_count_refused boolean[], p_window double precision) RETURNS double precision
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  wait float8;
BEGIN
  INSERT INTO login_attempts (key, window_start, failures)
  SELECT k, now(), 0 FROM unnest(p_keys) k ORDER BY k
  ON CONFLICT (key) DO NOTHING;
  PERFORM 1 FROM login_attempts WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE;
  UPDATE login_attempts SET window_start = now(), failures = 0, blocked_until = '-infinity'
  WHERE key = ANY (p_keys) AND window_start <= now() - make_interval(secs => p_window);

  -- A wait never outlasts the key's window, which starts over when it ends.
  SELECT max(extract(epoch FROM least(blocked_until, window_start + make_interval(secs => p_window)) - now())) INTO wait
  FROM login_attempts WHERE key = ANY (p_keys) AND blocked_until > now();

  UPDATE login_attempts a
  SET failures = a.failures + 1,
      blocked_until = CASE WHEN a.failures + 1 < p.free THEN '-infinity'
                           ELSE now() + make_interval(secs => least(p.max_wait, p.first_wait * 2 ^ (a.failures + 1 - p.free))) END
  FROM unnest(p_keys, p_free, p_first_wait, p_max_wait, p_count_refused) AS p(key, free, first_wait, max_wait, count_refused)
  WHERE a.key = p.key AND (wait IS NULL OR p.count_refused);
  RETURN coalesce(wait, 0);
END
$$;

ALTER FUNCTION public.reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait double precision[], p_max_wait double precision[], p_count_refused boolean[], p_window double precision) OWNER TO postgres;

--
-- Name: retention_blank_event_properties(timestamp with time zone, integer); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.retention_blank_event_properties(p_now timestamp with time zone, p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  cutoff timestamptz;
BEGIN
  IF current_tenant IS NULL THEN
    RETURN 0;
  END IF;
  SELECT least(p_now, now()) - make_interval(days => r.event_properties_days) INTO cutoff FROM retention_of(current_tenant) r;
  RETURN erase_event_properties(current_tenant, cutoff, least(p_limit, 10000));
END
$$;

ALTER FUNCTION public.retention_blank_event_properties(p_now timestamp with time zone, p_limit integer) OWNER TO tandem_referee;

--
-- Name: retention_blank_webhook_messages(timestamp with time zone, integer); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.retention_blank_webhook_messages(p_now timestamp with time zone, p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  cutoff timestamptz;
  due text[];
BEGIN
  SELECT least(p_now, now()) - make_interval(days => r.webhook_days) INTO cutoff FROM retention_of(current_tenant) r;
  due := ARRAY(
    SELECT m.id FROM webhook_messages m
    WHERE m.tenant_id = current_tenant AND m.created_at < cutoff
      AND (m.payload IS NOT NULL OR m.snapshot IS NOT NULL OR m.facts <> '{}')
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                      WHERE d.tenant_id = current_tenant AND d.message_id = m.id AND d.status = 'pending')
    ORDER BY m.created_at LIMIT least(p_limit, 10000) FOR UPDATE SKIP LOCKED);
  DELETE FROM webhook_attempts a
  WHERE a.tenant_id = current_tenant AND a.delivery_id IN (
    SELECT d.id FROM webhook_deliveries d WHERE d.tenant_id = current_tenant AND d.message_id = ANY (due));
  UPDATE webhook_messages m SET payload = NULL, snapshot = NULL, facts = '{}'
  WHERE m.tenant_id = current_tenant AND m.id = ANY (due);
  RETURN cardinality(due);
END
$$;

ALTER FUNCTION public.retention_blank_webhook_messages(p_now timestamp with time zone, p_limit integer) OWNER TO tandem_referee;

--
-- Name: retention_delete_idempotency(timestamp with time zone, integer); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.retention_delete_idempotency(p_now timestamp with time zone, p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  cutoff timestamptz;
  n integer;
BEGIN
  SELECT least(p_now, now()) - make_interval(hours => r.idempotency_hours) INTO cutoff FROM retention_of(current_tenant) r;
  DELETE FROM api_idempotency a
  WHERE a.tenant_id = current_tenant AND a.key IN (
    SELECT d.key FROM api_idempotency d
    WHERE d.tenant_id = current_tenant AND d.created_at < cutoff
    ORDER BY d.created_at LIMIT least(p_limit, 10000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

ALTER FUNCTION public.retention_delete_idempotency(p_now timestamp with time zone, p_limit integer) OWNER TO tandem_referee;

--
-- Name: retention_delete_widget_tokens(timestamp with time zone, integer); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.retention_delete_widget_tokens(p_now timestamp with time zone, p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  n integer;
BEGIN
  DELETE FROM widget_tokens w
  WHERE w.tenant_id = current_tenant AND w.id IN (
    SELECT d.id FROM widget_tokens d
    WHERE d.tenant_id = current_tenant AND d.expires_at <= least(p_now, now())
    ORDER BY d.expires_at LIMIT least(p_limit, 10000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

ALTER FUNCTION public.retention_delete_widget_tokens(p_now timestamp with time zone, p_limit integer) OWNER TO tandem_referee;

--
-- Name: retention_of(uuid); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.retention_of(p_tenant uuid) RETURNS TABLE(event_properties_days integer, idempotency_hours integer, webhook_days integer, updated_at timestamp with time zone)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT s.event_properties_days, s.idempotency_hours, s.webhook_days, s.updated_at
  FROM retention_settings s WHERE s.tenant_id = p_tenant;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 365, 24, 30, NULL::timestamptz;
  END IF;
END
$$;

ALTER FUNCTION public.retention_of(p_tenant uuid) OWNER TO postgres;

--
-- Name: reward_born_held(text, text, text); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_born_held(p_review text, p_threshold text, p_risk text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RETURN coalesce(p_review = 'all' OR (p_review = 'risky' AND (p_risk = 'high' OR (p_risk = 'medium' AND p_threshold = 'medium'))), false);
END
$$;

ALTER FUNCTION public.reward_born_held(p_review text, p_threshold text, p_risk text) OWNER TO postgres;

--
-- Name: reward_fulfilment_queue(uuid, text); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF to_regclass('public.river_job') IS NULL THEN
    INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
    VALUES (p_tenant_id, 'reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', p_tenant_id, 'reward_id', p_reward_id));
    RETURN;
  END IF;
  INSERT INTO river_job (kind, queue, max_attempts, args)
  VALUES ('reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', p_tenant_id, 'reward_id', p_reward_id));
  PERFORM pg_notify('public.river_insert', '{"queue": "default"}');
END
$$;

ALTER FUNCTION public.reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) OWNER TO tandem_referee;

--
-- Name: reward_fulfilments_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_fulfilments_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  reward_status text;
BEGIN
  -- Fulfilled: the coupon or the credit exists in Stripe. Cancelled: its
  -- reward was settled before Stripe was asked, and stays settled.
  IF TG_OP = 'UPDATE' AND OLD.status IN ('fulfilled', 'cancelled') AND NEW IS DISTINCT FROM OLD THEN
    RAISE EXCEPTION 'the fulfilment of reward % is % for good', OLD.reward_id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fulfilment_final', DETAIL = 'constraint "fulfilment_final"';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  -- A fulfilment is born, like every later state but cancelled, only
  -- beside an issued reward: a held one is never fulfilled. It is born in
  -- the transaction that inserted or approved its reward, which holds the
  -- reward's row: no lock is needed to read it.
  IF TG_OP = 'INSERT' THEN
    SELECT r.status INTO reward_status FROM reward_tokens r
    WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.reward_id;
  ELSE
    -- FOR SHARE: the reward's status cannot change until this transaction
    -- ends, and a change in flight is waited for and then seen.
    SELECT r.status INTO reward_status FROM reward_tokens r
    WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.reward_id FOR SHARE;
  END IF;
  IF (NEW.status = 'cancelled') = (reward_status IS NOT DISTINCT FROM 'issued') THEN
    RAISE EXCEPTION 'the fulfilment of reward % cannot become % while the reward is %', NEW.reward_id, NEW.status, reward_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fulfilment_follows_reward', DETAIL = 'constraint "fulfilment_follows_reward"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.reward_fulfilments_guard() OWNER TO postgres;

--
-- Name: reward_fulfilments_webhooks(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_fulfilments_webhooks() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  PERFORM webhook_record(NEW.tenant_id, CASE NEW.status WHEN 'fulfilled' THEN 'reward.fulfilled' ELSE 'reward.fulfilment_failed' END,
    NEW.reward_id, '{}');
  RETURN NULL;
END
$$;

ALTER FUNCTION public.reward_fulfilments_webhooks() OWNER TO postgres;

--
-- Name: reward_tokens_cancel_fulfilment(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_tokens_cancel_fulfilment() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  fulfilment_status text;
BEGIN
  SELECT f.status INTO fulfilment_status FROM reward_fulfilments f
  WHERE f.tenant_id = NEW.tenant_id AND f.reward_id = NEW.id FOR UPDATE;
  IF fulfilment_status = 'fulfilled' AND NEW.status IN ('voided', 'expired') THEN
    RAISE EXCEPTION 'reward % was paid through Stripe and cannot be %', NEW.id, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_fulfilled', DETAIL = 'constraint "reward_fulfilled"';
  END IF;
  IF fulfilment_status IN ('pending', 'failed') THEN
    UPDATE reward_fulfilments SET status = 'cancelled', error = '', updated_at = now()
    WHERE tenant_id = NEW.tenant_id AND reward_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.reward_tokens_cancel_fulfilment() OWNER TO postgres;

--
-- Name: reward_tokens_expiry_fixed(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_tokens_expiry_fixed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RAISE EXCEPTION 'reward % keeps the expiry it was issued with', OLD.id
    USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked', DETAIL = 'constraint "reward_never_revoked"';
END
$$;

ALTER FUNCTION public.reward_tokens_expiry_fixed() OWNER TO postgres;

--
-- Name: reward_tokens_fulfil(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.reward_tokens_fulfil() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO reward_fulfilments (tenant_id, reward_id) VALUES (NEW.tenant_id, NEW.id);
  PERFORM reward_fulfilment_queue(NEW.tenant_id, NEW.id);
  RETURN NULL;
END
$$;

ALTER FUNCTION public.reward_tokens_fulfil() OWNER TO tandem_referee;

--
-- Name: reward_tokens_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_tokens_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  days integer;
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reward % was issued and stays issued', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked', DETAIL = 'constraint "reward_never_revoked"';
  END IF;
  IF (NEW.tenant_id, NEW.id, NEW.participant_id, NEW.campaign_id, NEW.invitation_id, NEW.reason, NEW.milestone,
      NEW.description, NEW.kind, NEW.quantity, NEW.amount, NEW.currency, NEW.percent_off, NEW.issued_at)
     IS DISTINCT FROM
     (OLD.tenant_id, OLD.id, OLD.participant_id, OLD.campaign_id, OLD.invitation_id, OLD.reason, OLD.milestone,
      OLD.description, OLD.kind, OLD.quantity, OLD.amount, OLD.currency, OLD.percent_off, OLD.issued_at) THEN
    RAISE EXCEPTION 'reward % keeps the reward it was issued with', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked', DETAIL = 'constraint "reward_never_revoked"';
  END IF;
  IF OLD.status = 'held' THEN
    IF NEW.status NOT IN ('held', 'issued', 'voided') THEN
      RAISE EXCEPTION 'reward % is held: it is approved or rejected before anything else', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition', DETAIL = 'constraint "reward_status_transition"';
    END IF;
    IF NEW.status = 'held' THEN
      IF NEW.review_reason IS NOT NULL OR NEW.reviewed_at IS NOT NULL THEN
        RAISE EXCEPTION 'reward % is held: a reason comes with its rejection', OLD.id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_review_shape', DETAIL = 'constraint "reward_review_shape"';
      END IF;
      RETURN NEW;
    END IF;
    IF NEW.status = 'voided' AND NEW.review_reason IS NULL THEN
      RAISE EXCEPTION 'reward % is rejected with a reason', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_rejected_with_reason', DETAIL = 'constraint "reward_rejected_with_reason"';
    END IF;
    NEW.reviewed_at := now();
    IF NEW.status = 'issued' THEN
      SELECT v.reward_expires_after_days INTO days
      FROM invitations i JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
      WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invitation_id;
      NEW.expires_at := now() + make_interval(days => days);
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'held' THEN
    RAISE EXCEPTION 'reward % is % and is never held again', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition', DETAIL = 'constraint "reward_status_transition"';
  END IF;
  IF OLD.status <> 'issued' AND (NEW.status, NEW.status_changed_at, NEW.raffle_draw_id)
       IS DISTINCT FROM (OLD.status, OLD.status_changed_at, OLD.raffle_draw_id) THEN
    RAISE EXCEPTION 'reward % is % for good', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition', DETAIL = 'constraint "reward_status_transition"';
  END IF;
  IF (NEW.reviewed_at, NEW.review_reason) IS DISTINCT FROM (OLD.reviewed_at, OLD.review_reason) THEN
    RAISE EXCEPTION 'reward % keeps its review', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_review_shape', DETAIL = 'constraint "reward_review_shape"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.reward_tokens_guard() OWNER TO postgres;

--
-- Name: reward_tokens_issue_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_tokens_issue_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  days integer;
  review text;
  threshold text;
  risk text;
BEGIN
  IF current_user = 'tandem_referee' THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM earned_rewards(NEW.invitation_id) e
    WHERE (e.participant_id, e.campaign_id, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency,
           e.percent_off)
          IS NOT DISTINCT FROM
          (NEW.participant_id, NEW.campaign_id, NEW.reason, NEW.milestone, NEW.description, NEW.kind, NEW.quantity, NEW.amount,
           NEW.currency, NEW.percent_off)) THEN
    RAISE EXCEPTION 'invitation % did not earn this reward', NEW.invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_not_earned', DETAIL = 'constraint "reward_not_earned"';
  END IF;
  SELECT v.reward_expires_after_days, v.review, v.review_threshold, i.risk_level INTO days, review, threshold, risk
  FROM invitations i JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invitation_id;
  NEW.issued_at := now();
  NEW.status_changed_at := NULL;
  NEW.raffle_draw_id := NULL;
  NEW.reviewed_at := NULL;
  NEW.review_reason := NULL;
  IF reward_born_held(review, threshold, risk) THEN
    NEW.status := 'held';
    NEW.expires_at := NULL;
  ELSE
    NEW.status := 'issued';
    NEW.expires_at := NEW.issued_at + make_interval(days => days);
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.reward_tokens_issue_guard() OWNER TO postgres;

--
-- Name: reward_tokens_rollup(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.reward_tokens_rollup() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid;
  tenant_ids uuid[];
  campaign_ids text[];
  kinds text[];
  currencies text[];
  signs integer[];
  statuses text[];
  rejections boolean[];
  quantities integer[];
  amounts bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.tenant_id), array_agg(n.campaign_id), array_agg(n.kind), array_agg(coalesce(n.currency, '')), array_agg(1),
           array_agg(n.status), array_agg(n.review_reason IS NOT NULL), array_agg(n.quantity), array_agg(coalesce(n.amount, 0))
    INTO tenant_ids, campaign_ids, kinds, currencies, signs, statuses, rejections, quantities, amounts
    FROM new_reward_tokens n;
  ELSE
    SELECT array_agg(r.tenant_id), array_agg(r.campaign_id), array_agg(r.kind), array_agg(coalesce(r.currency, '')), array_agg(r.sign),
           array_agg(r.status), array_agg(r.review_reason IS NOT NULL), array_agg(r.quantity), array_agg(coalesce(r.amount, 0))
    INTO tenant_ids, campaign_ids, kinds, currencies, signs, statuses, rejections, quantities, amounts
    FROM (SELECT n.tenant_id, n.campaign_id, n.kind, n.currency, 1 AS sign, n.status, n.review_reason, n.quantity, n.amount
          FROM new_reward_tokens n
          UNION ALL
          SELECT o.tenant_id, o.campaign_id, o.kind, o.currency, -1, o.status, o.review_reason, o.quantity, o.amount
          FROM old_reward_tokens o) r;
  END IF;

  FOR current_tenant IN SELECT DISTINCT t FROM unnest(tenant_ids) AS t ORDER BY t LOOP
    INSERT INTO rollup_deltas (tenant_id, campaign_id, rollup, kind, currency,
      issued, issued_quantity, issued_amount, redeemed, redeemed_quantity, redeemed_amount,
      voided, voided_amount, expired, expired_amount, held, held_amount)
    SELECT current_tenant, d.campaign_id, 'reward', d.kind, d.currency,
      sum(d.sign * d.issued), sum(d.sign * d.issued * d.quantity), sum(d.sign * d.issued * d.amount),
      sum(d.sign * d.redeemed), sum(d.sign * d.redeemed * d.quantity), sum(d.sign * d.redeemed * d.amount),
      sum(d.sign * d.voided), sum(d.sign * d.voided * d.amount),
      sum(d.sign * d.expired), sum(d.sign * d.expired * d.amount),
      sum(d.sign * d.held), sum(d.sign * d.held * d.amount)
    FROM (SELECT u.campaign_id, u.kind, u.currency, u.sign, u.quantity::numeric AS quantity, u.amount::numeric AS amount,
                 (u.status IN ('issued', 'redeemed', 'expired') OR (u.status = 'voided' AND NOT u.rejected))::integer AS issued,
                 (u.status = 'redeemed')::integer AS redeemed,
                 (u.status = 'voided' AND NOT u.rejected)::integer AS voided,
                 (u.status = 'expired')::integer AS expired,
                 (u.status = 'held')::integer AS held
          FROM unnest(tenant_ids, campaign_ids, kinds, currencies, signs, statuses, rejections, quantities, amounts)
               AS u(tenant_id, campaign_id, kind, currency, sign, status, rejected, quantity, amount)
          WHERE u.tenant_id = current_tenant) d
    GROUP BY d.campaign_id, d.kind, d.currency
    HAVING sum(d.sign * d.issued) <> 0 OR sum(d.sign * d.redeemed) <> 0 OR sum(d.sign * d.voided) <> 0
        OR sum(d.sign * d.expired) <> 0 OR sum(d.sign * d.held) <> 0
    ORDER BY d.campaign_id, d.kind, d.currency;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.reward_tokens_rollup() OWNER TO tandem_referee;

--
-- Name: reward_tokens_webhooks(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.reward_tokens_webhooks() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  current_tenant uuid;
  ids text[];
  statuses text[];
  old_statuses text[];
BEGIN
  FOR current_tenant IN SELECT DISTINCT n.tenant_id FROM new_reward_tokens n LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = current_tenant AND e.status = 'enabled');
    IF TG_OP = 'INSERT' THEN
      SELECT array_agg(n.id), array_agg(n.status) INTO ids, statuses
        FROM new_reward_tokens n WHERE n.tenant_id = current_tenant;
      old_statuses := array_fill(NULL::text, ARRAY[cardinality(ids)]);
    ELSE
      SELECT array_agg(n.id ORDER BY n.id), array_agg(n.status ORDER BY n.id) INTO ids, statuses
        FROM new_reward_tokens n WHERE n.tenant_id = current_tenant;
      old_statuses := ARRAY(SELECT o.status FROM old_reward_tokens o WHERE o.tenant_id = current_tenant ORDER BY o.id);
    END IF;
    FOR i IN 1 .. cardinality(ids) LOOP
      CONTINUE WHEN statuses[i] IS NOT DISTINCT FROM old_statuses[i];
      IF old_statuses[i] = 'held' THEN
        IF statuses[i] = 'voided' THEN
          PERFORM webhook_record(current_tenant, 'reward.rejected', ids[i], '{}');
          CONTINUE;
        END IF;
        PERFORM webhook_record(current_tenant, 'reward.approved', ids[i], '{}');
      END IF;
      PERFORM webhook_record(current_tenant, 'reward.' || statuses[i], ids[i], '{}');
    END LOOP;
  END LOOP;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.reward_tokens_webhooks() OWNER TO postgres;

--
-- Name: river_job_state_in_bitmask(bit, public.river_job_state); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.river_job_state_in_bitmask(bitmask bit, state public.river_job_state) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
    SELECT CASE state
        WHEN 'available' THEN get_bit(bitmask, 7)
        WHEN 'cancelled' THEN get_bit(bitmask, 6)
        WHEN 'completed' THEN get_bit(bitmask, 5)
        WHEN 'discarded' THEN get_bit(bitmask, 4)
        WHEN 'pending'   THEN get_bit(bitmask, 3)
        WHEN 'retryable' THEN get_bit(bitmask, 2)
        WHEN 'running'   THEN get_bit(bitmask, 1)
        WHEN 'scheduled' THEN get_bit(bitmask, 0)
        ELSE 0
    END = 1;
$$;

ALTER FUNCTION public.river_job_state_in_bitmask(bitmask bit, state public.river_job_state) OWNER TO postgres;

--
-- Name: rollup_deltas_apply(); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.rollup_deltas_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  s smallint := rollup_shard();
BEGIN
  IF NEW.rollup = 'funnel' THEN
    INSERT INTO campaign_rollups AS r (tenant_id, campaign_id, shard, created, claimed, completed, reached)
    VALUES (NEW.tenant_id, NEW.campaign_id, s, NEW.created, NEW.claimed, NEW.completed, NEW.reached)
    ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE
    SET created = r.created + excluded.created,
        claimed = r.claimed + excluded.claimed,
        completed = r.completed + excluded.completed,
        reached = CASE WHEN excluded.reached = '{}' THEN r.reached ELSE add_counts(r.reached, excluded.reached) END;
  ELSIF NEW.rollup = 'day' THEN
    INSERT INTO campaign_day_rollups AS r (tenant_id, campaign_id, day, shard, created, claimed, completed)
    VALUES (NEW.tenant_id, NEW.campaign_id, NEW.day, s, NEW.created, NEW.claimed, NEW.completed)
    ON CONFLICT (tenant_id, campaign_id, day, shard) DO UPDATE
    SET created = r.created + excluded.created,
        claimed = r.claimed + excluded.claimed,
        completed = r.completed + excluded.completed;
  ELSE
    INSERT INTO campaign_reward_rollups AS r (tenant_id, campaign_id, kind, currency, shard,
      issued, issued_quantity, issued_amount, redeemed, redeemed_quantity, redeemed_amount,
      voided, voided_amount, expired, expired_amount, held, held_amount)
    VALUES (NEW.tenant_id, NEW.campaign_id, NEW.kind, NEW.currency, s,
      NEW.issued, NEW.issued_quantity, NEW.issued_amount, NEW.redeemed, NEW.redeemed_quantity, NEW.redeemed_amount,
      NEW.voided, NEW.voided_amount, NEW.expired, NEW.expired_amount, NEW.held, NEW.held_amount)
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
        expired_amount = r.expired_amount + excluded.expired_amount,
        held = r.held + excluded.held,
        held_amount = r.held_amount + excluded.held_amount;
  END IF;
  DELETE FROM rollup_deltas WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
  RETURN NULL;
END
$$;

ALTER FUNCTION public.rollup_deltas_apply() OWNER TO tandem_referee;

--
-- Name: rollup_shard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.rollup_shard() RETURNS smallint
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN RETURN (pg_current_xact_id()::text::bigint % 16)::smallint; END $$;

ALTER FUNCTION public.rollup_shard() OWNER TO postgres;

--
-- Name: rollups_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.rollups_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RAISE EXCEPTION '% is maintained by triggers only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'rollup_maintained_by_triggers', DETAIL = 'constraint "rollup_maintained_by_triggers"', TABLE = TG_TABLE_NAME;
END
$$;

ALTER FUNCTION public.rollups_guard() OWNER TO postgres;

--
-- Name: schedule_tenant_deletion(uuid, text); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.schedule_tenant_deletion(p_tenant_id uuid, p_confirmation text) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  t tenants;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'schedule_tenant_deletion runs in its tenant''s transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO STRICT t FROM tenants WHERE id = p_tenant_id FOR UPDATE;
  IF p_confirmation IS NULL OR btrim(p_confirmation) NOT IN (t.name, t.slug) THEN
    RAISE EXCEPTION 'the confirmation is not the account''s name or slug'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_deletion_confirmation', DETAIL = 'constraint "tenant_deletion_confirmation"';
  END IF;
  IF t.deletion_due_at IS NOT NULL THEN
    RETURN t.deletion_due_at;
  END IF;
  UPDATE tenants SET deletion_requested_at = now(), deletion_due_at = now() + interval '168 hours'
   WHERE id = p_tenant_id;
  RETURN now() + interval '168 hours';
END
$$;

ALTER FUNCTION public.schedule_tenant_deletion(p_tenant_id uuid, p_confirmation text) OWNER TO tandem_referee;

--
-- Name: schema_version(); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.schema_version() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
  SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied
$$;

ALTER FUNCTION public.schema_version() OWNER TO tandem_definer;

--
-- Name: tenants_due_for_deletion(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.tenants_due_for_deletion(p_now timestamp with time zone) RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RETURN QUERY
  SELECT t.id FROM tenants t WHERE t.deletion_due_at <= least(p_now, now()) ORDER BY t.deletion_due_at, t.id;
END
$$;

ALTER FUNCTION public.tenants_due_for_deletion(p_now timestamp with time zone) OWNER TO tandem_definer;

--
-- Name: tenants_start_free(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.tenants_start_free() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF NEW.plan IS DISTINCT FROM 'free' AND NEW.plan IS NOT NULL THEN
    RAISE EXCEPTION 'a tenant starts on the free plan or unmetered, not on %', NEW.plan
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_starts_free', DETAIL = 'constraint "tenant_starts_free"';
  END IF;
  IF NEW.billing_status <> 'none' OR NEW.stripe_customer_id IS NOT NULL
     OR NEW.stripe_subscription_id IS NOT NULL OR NEW.billing_synced_at IS NOT NULL THEN
    RAISE EXCEPTION 'a tenant starts with no billing state'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_starts_free', DETAIL = 'constraint "tenant_starts_free"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.tenants_start_free() OWNER TO postgres;

--
-- Name: tenants_with_due_invitations(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.tenants_with_due_invitations(p_now timestamp with time zone) RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT DISTINCT i.tenant_id FROM invitations i JOIN tenants t ON t.id = i.tenant_id AND t.deletion_due_at IS NULL
  WHERE i.guest_id IS NULL AND i.expired_at IS NULL AND i.expires_at <= p_now;
END
$$;

ALTER FUNCTION public.tenants_with_due_invitations(p_now timestamp with time zone) OWNER TO tandem_definer;

--
-- Name: tenants_with_due_rewards(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.tenants_with_due_rewards(p_now timestamp with time zone) RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT DISTINCT r.tenant_id FROM reward_tokens r JOIN tenants t ON t.id = r.tenant_id AND t.deletion_due_at IS NULL
   WHERE r.status = 'issued' AND r.expires_at <= p_now;
END
$$;

ALTER FUNCTION public.tenants_with_due_rewards(p_now timestamp with time zone) OWNER TO tandem_definer;

--
-- Name: utc_day(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.utc_day(t timestamp with time zone) RETURNS date
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN RETURN (t AT TIME ZONE 'UTC')::date; END $$;

ALTER FUNCTION public.utc_day(t timestamp with time zone) OWNER TO postgres;

--
-- Name: version_rows_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.version_rows_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  r record;
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF EXISTS (SELECT 1 FROM campaign_versions v
             WHERE v.tenant_id = r.tenant_id AND v.campaign_id = r.campaign_id
               AND v.version = r.version AND v.published_at IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND EXISTS (
             SELECT 1 FROM campaign_versions v
             WHERE v.tenant_id = OLD.tenant_id AND v.campaign_id = OLD.campaign_id
               AND v.version = OLD.version AND v.published_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'version % of campaign % is published and cannot change', r.version, r.campaign_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'published_version_immutable', DETAIL = 'constraint "published_version_immutable"';
  END IF;
  RETURN r;
END
$$;

ALTER FUNCTION public.version_rows_guard() OWNER TO postgres;

--
-- Name: webhook_endpoints_cap(uuid); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.webhook_endpoints_cap(p_tenant uuid) RETURNS integer
    LANGUAGE plpgsql STABLE
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RETURN (SELECT coalesce(plan_limit(p_tenant, 'webhook_endpoints'), (SELECT max(max_webhook_endpoints) FROM plans)));
END
$$;

ALTER FUNCTION public.webhook_endpoints_cap(p_tenant uuid) OWNER TO postgres;

--
-- Name: webhook_endpoints_within_plan(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.webhook_endpoints_within_plan() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  m integer := webhook_endpoints_cap(NEW.tenant_id);
BEGIN
  PERFORM lock_plan_limit(NEW.tenant_id, 'webhook_endpoints');
  IF (SELECT count(*) FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id) >= m THEN
    PERFORM plan_limit_reached('webhook_endpoints', m);
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.webhook_endpoints_within_plan() OWNER TO postgres;

--
-- Name: webhook_messages_guard(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.webhook_messages_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF current_user = 'tandem_referee' AND NEW.payload IS NULL AND NEW.snapshot IS NULL AND NEW.facts = '{}'
     AND (NEW.tenant_id, NEW.id, NEW.type, NEW.object_id, NEW.created_at) = (OLD.tenant_id, OLD.id, OLD.type, OLD.object_id, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  -- Erasure (erase_participant, as tandem_eraser) drops the body of a
  -- message about the erased person, which the next send renders again from
  -- the scrubbed snapshot.
  IF current_user = 'tandem_eraser' AND NEW.payload IS NULL
     AND (NEW.tenant_id, NEW.id, NEW.type, NEW.facts, NEW.created_at) = (OLD.tenant_id, OLD.id, OLD.type, OLD.facts, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  IF (OLD.payload IS NOT NULL AND NEW.payload IS DISTINCT FROM OLD.payload)
     OR NEW.snapshot IS DISTINCT FROM OLD.snapshot OR NEW.facts IS DISTINCT FROM OLD.facts THEN
    RAISE EXCEPTION 'webhook message % is already rendered', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'webhook_payload_once', DETAIL = 'constraint "webhook_payload_once"';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.webhook_messages_guard() OWNER TO postgres;

--
-- Name: webhook_queue(uuid, text[]); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.webhook_queue(p_tenant_id uuid, p_delivery_ids text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  delivery text;
BEGIN
  IF to_regclass('public.river_job') IS NULL THEN
    -- A row at a time: Citus runs an INSERT … SELECT into a distributed
    -- table as a COPY, which it refuses under row-level security. A
    -- message has at most the plan's endpoints, so a few rows.
    FOREACH delivery IN ARRAY p_delivery_ids LOOP
      INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
      VALUES (p_tenant_id, 'webhook_delivery', 'webhooks', 25, jsonb_build_object('tenant_id', p_tenant_id, 'delivery_id', delivery));
    END LOOP;
    RETURN;
  END IF;
  INSERT INTO river_job (kind, queue, max_attempts, args)
  SELECT 'webhook_delivery', 'webhooks', 25, jsonb_build_object('tenant_id', p_tenant_id, 'delivery_id', d)
  FROM unnest(p_delivery_ids) d;
  PERFORM pg_notify('public.river_insert', '{"queue": "webhooks"}');
END
$$;

ALTER FUNCTION public.webhook_queue(p_tenant_id uuid, p_delivery_ids text[]) OWNER TO tandem_referee;

--
-- Name: webhook_record(uuid, text, text, jsonb); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  msg text;
  deliveries text[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                 WHERE e.tenant_id = p_tenant_id AND e.status = 'enabled' AND e.events && ARRAY[p_type, '*']) THEN
    RETURN;
  END IF;
  INSERT INTO webhook_messages (tenant_id, id, type, object_id, facts, snapshot)
  VALUES (p_tenant_id, new_message_id(), p_type, p_object_id, p_facts, webhook_snapshot(p_tenant_id, p_type, p_object_id))
  RETURNING id INTO msg;
  WITH d AS (
    INSERT INTO webhook_deliveries (tenant_id, message_id, endpoint_id)
    SELECT p_tenant_id, msg, e.id FROM webhook_endpoints e
    WHERE e.tenant_id = p_tenant_id AND e.status = 'enabled' AND e.events && ARRAY[p_type, '*']
    RETURNING id)
  SELECT array_agg(id) INTO deliveries FROM d;
  PERFORM webhook_queue(p_tenant_id, deliveries);
END
$$;

ALTER FUNCTION public.webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb) OWNER TO tandem_referee;

--
-- Name: webhook_snapshot(uuid, text, text); Type: FUNCTION; Schema: public; Owner: tandem_referee
--

CREATE FUNCTION public.webhook_snapshot(p_tenant_id uuid, p_type text, p_object_id text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
  snapshot jsonb;
BEGIN
  CASE split_part(p_type, '.', 1)
  WHEN 'invitation', 'quest' THEN
    SELECT jsonb_build_object(
             'id', i.id, 'campaign', c.slug, 'kind', i.kind, 'code', coalesce(i.code, i.referrer_code),
             'status', CASE WHEN i.completed_at IS NOT NULL THEN 'completed'
                            WHEN i.guest_id IS NOT NULL THEN 'claimed'
                            WHEN i.expired_at IS NOT NULL OR i.expires_at <= now() THEN 'expired'
                            ELSE 'pending' END,
             'host', h.external_id, 'guest', g.external_id, 'channel', i.channel, 'recipient', i.recipient,
             'version', i.version,
             'progress', jsonb_build_object('done', i.progress,
               'total', (SELECT count(*) FROM campaign_version_steps s
                         WHERE s.tenant_id = p_tenant_id AND s.campaign_id = i.campaign_id
                           AND s.version = coalesce(i.version, c.current_version)),
               'next_step', (SELECT s.event_name FROM campaign_version_steps s
                             WHERE s.tenant_id = p_tenant_id AND s.campaign_id = i.campaign_id
                               AND s.version = coalesce(i.version, c.current_version) AND s.position = i.progress + 1)),
             'completion_number', i.completion_number, 'created_at', i.created_at, 'expires_at', i.expires_at,
             'claimed_at', i.claimed_at, 'completed_at', i.completed_at,
             'risk', jsonb_build_object('level', i.risk_level, 'signals', coalesce(i.risk_signals, '[]'::jsonb)))
    INTO snapshot
    FROM invitations i
    JOIN campaigns c ON c.tenant_id = p_tenant_id AND c.id = i.campaign_id
    JOIN participants h ON h.tenant_id = p_tenant_id AND h.id = i.host_id
    LEFT JOIN participants g ON g.tenant_id = p_tenant_id AND g.id = i.guest_id
    WHERE i.tenant_id = p_tenant_id AND i.id = p_object_id;
  WHEN 'reward' THEN
    SELECT jsonb_build_object(
             'id', r.id, 'participant', p.external_id, 'campaign', c.slug, 'invitation', r.invitation_id,
             'reason', r.reason, 'milestone', r.milestone, 'description', r.description, 'kind', r.kind,
             'quantity', r.quantity, 'amount', r.amount, 'currency', r.currency, 'percent_off', r.percent_off,
             'status', r.status, 'issued_at', r.issued_at, 'status_changed_at', r.status_changed_at,
             'raffle_draw', r.raffle_draw_id, 'expires_at', r.expires_at, 'reviewed_at', r.reviewed_at,
             'review_reason', r.review_reason,
             'risk', jsonb_build_object('level', ri.risk_level, 'signals', coalesce(ri.risk_signals, '[]'::jsonb)))
           || CASE WHEN f.reward_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('fulfilment', jsonb_build_object(
                'status', f.status, 'stripe_object', f.stripe_object, 'code', f.code, 'error', f.error,
                'attempts', f.attempts)) END
    INTO snapshot
    FROM reward_tokens r
    JOIN participants p ON p.tenant_id = p_tenant_id AND p.id = r.participant_id
    JOIN campaigns c ON c.tenant_id = p_tenant_id AND c.id = r.campaign_id
    JOIN invitations ri ON ri.tenant_id = p_tenant_id AND ri.id = r.invitation_id
    LEFT JOIN reward_fulfilments f ON f.tenant_id = p_tenant_id AND f.reward_id = r.id
    WHERE r.tenant_id = p_tenant_id AND r.id = p_object_id;
  WHEN 'campaign' THEN
    SELECT jsonb_build_object(
             'id', c.id, 'slug', c.slug, 'name', c.name, 'mode', c.mode, 'status', c.status,
             'current_version', c.current_version, 'signup_url', c.signup_url, 'starts_at', c.starts_at,
             'ends_at', c.ends_at, 'created_at', c.created_at, 'updated_at', c.updated_at)
    INTO snapshot
    FROM campaigns c
    WHERE c.tenant_id = p_tenant_id AND c.slug = p_object_id;
  WHEN 'participant' THEN
    SELECT jsonb_build_object(
             'id', p.id, 'external_id', p.external_id, 'email', p.email, 'phone', p.phone,
             'display_name', p.display_name, 'stripe_customer_id', p.stripe_customer_id,
             'created_at', p.created_at, 'updated_at', p.updated_at, 'erased_at', p.erased_at)
    INTO snapshot
    FROM participants p
    WHERE p.tenant_id = p_tenant_id AND p.external_id = p_object_id;
  ELSE
    RETURN NULL;
  END CASE;
  RETURN snapshot;
END
$$;

ALTER FUNCTION public.webhook_snapshot(p_tenant_id uuid, p_type text, p_object_id text) OWNER TO tandem_referee;

--
-- Name: widget_origin_known(text); Type: FUNCTION; Schema: public; Owner: tandem_definer
--

CREATE FUNCTION public.widget_origin_known(p_origin text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  RETURN (SELECT EXISTS (SELECT 1 FROM widget_settings s WHERE s.allowed_origins @> ARRAY[p_origin]));
END
$$;

ALTER FUNCTION public.widget_origin_known(p_origin text) OWNER TO tandem_definer;

--
-- Name: widget_origins_valid(text[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.widget_origins_valid(p_origins text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'public', 'pg_temp'
    AS $_$
  SELECT cardinality(p_origins) <= 20
     AND coalesce(bool_and(o ~ '^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$'), true)
     AND count(DISTINCT o) = count(*)
  FROM unnest(p_origins) o
$_$;

ALTER FUNCTION public.widget_origins_valid(p_origins text[]) OWNER TO postgres;

--
-- Name: widget_tokens_minted_by_live_secret(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.widget_tokens_minted_by_live_secret() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.tenant_id = NEW.tenant_id AND k.id = NEW.key_id
                 AND k.kind = 'secret' AND k.revoked_at IS NULL) THEN
    RAISE EXCEPTION 'widget tokens are minted by a live secret key, not %', NEW.key_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'widget_token_key', DETAIL = 'constraint "widget_token_key"', TABLE = 'widget_tokens';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION public.widget_tokens_minted_by_live_secret() OWNER TO postgres;

--
-- Name: api_idempotency; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.api_idempotency (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    response_status integer,
    response_body bytea,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT api_idempotency_key_check CHECK (((length(key) >= 1) AND (length(key) <= 255))),
    CONSTRAINT api_idempotency_request_hash_check CHECK ((length(request_hash) = 32)),
    CONSTRAINT api_idempotency_response_status_check CHECK (((response_status >= 200) AND (response_status <= 299)))
);

ALTER TABLE ONLY public.api_idempotency FORCE ROW LEVEL SECURITY;

ALTER TABLE public.api_idempotency OWNER TO postgres;

--
-- Name: api_keys; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.api_keys (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('key'::text) NOT NULL,
    kind text NOT NULL,
    lookup text NOT NULL,
    secret_hash text NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    allowed_origins text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT api_keys_kind_check CHECK ((kind = ANY (ARRAY['secret'::text, 'publishable'::text]))),
    CONSTRAINT api_keys_lookup_check CHECK ((lookup ~ '^[a-z2-7]{16}$'::text)),
    CONSTRAINT api_keys_name_check CHECK ((length(name) <= 200)),
    CONSTRAINT api_keys_secret_hash_check CHECK ((secret_hash ~~ '$argon2id$%'::text))
);

ALTER TABLE ONLY public.api_keys FORCE ROW LEVEL SECURITY;

ALTER TABLE public.api_keys OWNER TO postgres;

--
-- Name: api_rate_limits; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.api_rate_limits (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    key_id text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    requests integer NOT NULL,
    CONSTRAINT api_rate_limits_requests_check CHECK ((requests >= 0)),
    CONSTRAINT rate_limit_subject CHECK ((key_id ~ '^(key|wtk|par)_[0-9a-f]{32}$'::text))
);

ALTER TABLE ONLY public.api_rate_limits FORCE ROW LEVEL SECURITY;

ALTER TABLE public.api_rate_limits OWNER TO postgres;

--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.audit_log (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    subject text NOT NULL,
    before jsonb,
    after jsonb,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_log_action_check CHECK ((action ~ '^[a-z_]+\.[a-z_]+$'::text)),
    CONSTRAINT audit_log_actor_check CHECK ((actor ~ '^(member:mem_|key:key_)[0-9a-f]{32}$|^(system|cli)$'::text))
);

ALTER TABLE ONLY public.audit_log FORCE ROW LEVEL SECURITY;

ALTER TABLE public.audit_log OWNER TO postgres;

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: campaign_day_rollups; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaign_day_rollups (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    day date NOT NULL,
    shard smallint NOT NULL,
    created bigint DEFAULT 0 NOT NULL,
    claimed bigint DEFAULT 0 NOT NULL,
    completed bigint DEFAULT 0 NOT NULL,
    CONSTRAINT campaign_day_rollups_shard_check CHECK (((shard >= 0) AND (shard <= 15)))
);

ALTER TABLE ONLY public.campaign_day_rollups FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaign_day_rollups OWNER TO postgres;

--
-- Name: campaign_migrations; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaign_migrations (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    version integer NOT NULL,
    in_flight integer NOT NULL,
    migrated integer DEFAULT 0 NOT NULL,
    after_host text,
    after_id text,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT campaign_migration_cursor CHECK (((after_host IS NULL) = (after_id IS NULL))),
    CONSTRAINT campaign_migrations_in_flight_check CHECK ((in_flight >= 0)),
    CONSTRAINT campaign_migrations_migrated_check CHECK ((migrated >= 0))
);

ALTER TABLE ONLY public.campaign_migrations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaign_migrations OWNER TO postgres;

--
-- Name: campaign_reward_rollups; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaign_reward_rollups (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    kind text NOT NULL,
    currency text NOT NULL,
    shard smallint NOT NULL,
    issued bigint DEFAULT 0 NOT NULL,
    issued_quantity numeric DEFAULT 0 NOT NULL,
    issued_amount numeric DEFAULT 0 NOT NULL,
    redeemed bigint DEFAULT 0 NOT NULL,
    redeemed_quantity numeric DEFAULT 0 NOT NULL,
    redeemed_amount numeric DEFAULT 0 NOT NULL,
    voided bigint DEFAULT 0 NOT NULL,
    voided_amount numeric DEFAULT 0 NOT NULL,
    expired bigint DEFAULT 0 NOT NULL,
    expired_amount numeric DEFAULT 0 NOT NULL,
    held bigint DEFAULT 0 NOT NULL,
    held_amount numeric DEFAULT 0 NOT NULL,
    CONSTRAINT campaign_reward_rollups_currency_check CHECK (((currency = ''::text) OR (currency ~ '^[A-Z]{3}$'::text))),
    CONSTRAINT campaign_reward_rollups_kind_check CHECK ((kind = ANY (ARRAY['credit'::text, 'coupon'::text, 'cash'::text, 'ticket'::text, 'custom'::text, 'stripe_coupon'::text, 'stripe_balance'::text]))),
    CONSTRAINT campaign_reward_rollups_shard_check CHECK (((shard >= 0) AND (shard <= 15))),
    CONSTRAINT reward_rollup_held_money CHECK (((currency <> ''::text) OR (held_amount = (0)::numeric))),
    CONSTRAINT reward_rollup_money CHECK (((currency <> ''::text) OR ((issued_amount = (0)::numeric) AND (redeemed_amount = (0)::numeric) AND (voided_amount = (0)::numeric) AND (expired_amount = (0)::numeric))))
);

ALTER TABLE ONLY public.campaign_reward_rollups FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaign_reward_rollups OWNER TO postgres;

--
-- Name: campaign_rollups; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaign_rollups (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    shard smallint NOT NULL,
    created bigint DEFAULT 0 NOT NULL,
    claimed bigint DEFAULT 0 NOT NULL,
    completed bigint DEFAULT 0 NOT NULL,
    reached bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    CONSTRAINT campaign_rollups_shard_check CHECK (((shard >= 0) AND (shard <= 15)))
);

ALTER TABLE ONLY public.campaign_rollups FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaign_rollups OWNER TO postgres;

--
-- Name: campaign_version_milestones; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaign_version_milestones (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    version integer NOT NULL,
    nth integer NOT NULL,
    reward_description text NOT NULL,
    reward_kind text NOT NULL,
    reward_quantity integer DEFAULT 1 NOT NULL,
    reward_amount bigint,
    reward_currency text,
    reward_percent_off numeric,
    CONSTRAINT campaign_version_milestones_nth_check CHECK ((nth >= 1)),
    CONSTRAINT campaign_version_milestones_reward_amount_check CHECK ((reward_amount >= 0)),
    CONSTRAINT campaign_version_milestones_reward_currency_check CHECK ((reward_currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT campaign_version_milestones_reward_description_check CHECK (((length(reward_description) >= 1) AND (length(reward_description) <= 500))),
    CONSTRAINT campaign_version_milestones_reward_kind_check CHECK ((reward_kind = ANY (ARRAY['credit'::text, 'coupon'::text, 'cash'::text, 'ticket'::text, 'custom'::text, 'stripe_coupon'::text, 'stripe_balance'::text]))),
    CONSTRAINT campaign_version_milestones_reward_percent_off_check CHECK (((reward_percent_off > (0)::numeric) AND (reward_percent_off <= (100)::numeric) AND (reward_percent_off = round(reward_percent_off, 2)))),
    CONSTRAINT campaign_version_milestones_reward_quantity_check CHECK ((reward_quantity >= 1)),
    CONSTRAINT milestone_reward_money CHECK (((reward_amount IS NULL) = (reward_currency IS NULL))),
    CONSTRAINT milestone_reward_percent_kind CHECK (((reward_percent_off IS NULL) OR (reward_kind = 'stripe_coupon'::text))),
    CONSTRAINT milestone_reward_stripe_value CHECK (((reward_kind <> ALL (ARRAY['stripe_coupon'::text, 'stripe_balance'::text])) OR
CASE
    WHEN (reward_percent_off IS NULL) THEN (COALESCE(reward_amount, (0)::bigint) > 0)
    ELSE (reward_amount IS NULL)
END)),
    CONSTRAINT milestones_cap CHECK ((nth <= 100)),
    CONSTRAINT reward_amount_cap CHECK ((reward_amount <= '1000000000000'::bigint)),
    CONSTRAINT reward_quantity_cap CHECK ((reward_quantity <= 1000000))
);

ALTER TABLE ONLY public.campaign_version_milestones FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaign_version_milestones OWNER TO postgres;

--
-- Name: campaign_version_steps; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaign_version_steps (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    version integer NOT NULL,
    "position" smallint NOT NULL,
    event_name text NOT NULL,
    CONSTRAINT campaign_version_steps_position_check CHECK (("position" >= 1)),
    CONSTRAINT quest_steps_cap CHECK (("position" <= 20))
);

ALTER TABLE ONLY public.campaign_version_steps FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaign_version_steps OWNER TO postgres;

--
-- Name: campaign_versions; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaign_versions (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    version integer NOT NULL,
    repeat_last_milestone boolean DEFAULT false NOT NULL,
    invitation_ttl_hours integer DEFAULT 720 NOT NULL,
    guest_reward_description text,
    guest_reward_kind text,
    guest_reward_quantity integer,
    guest_reward_amount bigint,
    guest_reward_currency text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    published_at timestamp with time zone,
    reward_expires_after_days integer,
    guest_reward_percent_off numeric,
    review text DEFAULT 'off'::text NOT NULL,
    review_threshold text DEFAULT 'medium'::text NOT NULL,
    block_high_risk boolean DEFAULT false NOT NULL,
    velocity_claims integer DEFAULT 10 NOT NULL,
    velocity_window_minutes integer DEFAULT 60 NOT NULL,
    CONSTRAINT campaign_versions_guest_reward_amount_check CHECK ((guest_reward_amount >= 0)),
    CONSTRAINT campaign_versions_guest_reward_currency_check CHECK ((guest_reward_currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT campaign_versions_guest_reward_description_check CHECK (((length(guest_reward_description) >= 1) AND (length(guest_reward_description) <= 500))),
    CONSTRAINT campaign_versions_guest_reward_kind_check CHECK ((guest_reward_kind = ANY (ARRAY['credit'::text, 'coupon'::text, 'cash'::text, 'ticket'::text, 'custom'::text, 'stripe_coupon'::text, 'stripe_balance'::text]))),
    CONSTRAINT campaign_versions_guest_reward_percent_off_check CHECK (((guest_reward_percent_off > (0)::numeric) AND (guest_reward_percent_off <= (100)::numeric) AND (guest_reward_percent_off = round(guest_reward_percent_off, 2)))),
    CONSTRAINT campaign_versions_guest_reward_quantity_check CHECK ((guest_reward_quantity >= 1)),
    CONSTRAINT campaign_versions_invitation_ttl_hours_check CHECK (((invitation_ttl_hours >= 1) AND (invitation_ttl_hours <= 87600))),
    CONSTRAINT campaign_versions_review_check CHECK ((review = ANY (ARRAY['off'::text, 'risky'::text, 'all'::text]))),
    CONSTRAINT campaign_versions_review_threshold_check CHECK ((review_threshold = ANY (ARRAY['medium'::text, 'high'::text]))),
    CONSTRAINT campaign_versions_reward_expires_after_days_check CHECK (((reward_expires_after_days >= 1) AND (reward_expires_after_days <= 3650))),
    CONSTRAINT campaign_versions_version_check CHECK ((version >= 1)),
    CONSTRAINT guest_reward_amount_cap CHECK ((guest_reward_amount <= '1000000000000'::bigint)),
    CONSTRAINT guest_reward_complete CHECK ((((guest_reward_description IS NULL) = (guest_reward_kind IS NULL)) AND ((guest_reward_description IS NULL) = (guest_reward_quantity IS NULL)) AND ((guest_reward_amount IS NULL) OR (guest_reward_description IS NOT NULL)))),
    CONSTRAINT guest_reward_money CHECK (((guest_reward_amount IS NULL) = (guest_reward_currency IS NULL))),
    CONSTRAINT guest_reward_percent_kind CHECK (((guest_reward_percent_off IS NULL) OR COALESCE((guest_reward_kind = 'stripe_coupon'::text), false))),
    CONSTRAINT guest_reward_quantity_cap CHECK ((guest_reward_quantity <= 1000000)),
    CONSTRAINT guest_reward_stripe_value CHECK (((COALESCE(guest_reward_kind, ''::text) <> ALL (ARRAY['stripe_coupon'::text, 'stripe_balance'::text])) OR
CASE
    WHEN (guest_reward_percent_off IS NULL) THEN (COALESCE(guest_reward_amount, (0)::bigint) > 0)
    ELSE (guest_reward_amount IS NULL)
END)),
    CONSTRAINT version_block_needs_review CHECK (((NOT block_high_risk) OR (review <> 'off'::text))),
    CONSTRAINT version_velocity_claims CHECK (((velocity_claims >= 1) AND (velocity_claims <= 1000))),
    CONSTRAINT version_velocity_window CHECK (((velocity_window_minutes >= 1) AND (velocity_window_minutes <= 43200)))
);

ALTER TABLE ONLY public.campaign_versions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaign_versions OWNER TO postgres;

--
-- Name: campaigns; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.campaigns (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('cmp'::text) NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    mode text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    current_version integer,
    signup_url text DEFAULT ''::text NOT NULL,
    starts_at timestamp with time zone,
    ends_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    invite_headline text DEFAULT ''::text NOT NULL,
    CONSTRAINT campaign_invite_headline CHECK (((length(invite_headline) <= 120) AND (invite_headline = btrim(invite_headline)) AND (invite_headline !~ '[[:cntrl:]]'::text))),
    CONSTRAINT campaign_published CHECK (((status = 'draft'::text) OR (current_version IS NOT NULL))),
    CONSTRAINT campaign_window CHECK (((starts_at IS NULL) OR (ends_at IS NULL) OR (starts_at < ends_at))),
    CONSTRAINT campaigns_mode_check CHECK ((mode = ANY (ARRAY['invitation'::text, 'referrer_code'::text]))),
    CONSTRAINT campaigns_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT campaigns_signup_url_check CHECK (((signup_url = ''::text) OR (signup_url ~ '^https?://[^[:space:]]+$'::text))),
    CONSTRAINT campaigns_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'::text)),
    CONSTRAINT campaigns_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'active'::text, 'paused'::text, 'ended'::text])))
);

ALTER TABLE ONLY public.campaigns FORCE ROW LEVEL SECURITY;

ALTER TABLE public.campaigns OWNER TO postgres;

--
-- Name: disposable_email_domains; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.disposable_email_domains (
    domain text NOT NULL,
    CONSTRAINT disposable_email_domains_domain_check CHECK (((domain = lower(domain)) AND (domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$'::text)))
);

ALTER TABLE public.disposable_email_domains OWNER TO postgres;

--
-- Name: event_definitions; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.event_definitions (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    name text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    builtin boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    label text DEFAULT ''::text NOT NULL,
    CONSTRAINT event_definition_label_length CHECK ((length(label) <= 80)),
    CONSTRAINT event_definition_label_one_line CHECK (((label = btrim(label)) AND (label !~ '[[:cntrl:]]'::text))),
    CONSTRAINT event_definitions_description_check CHECK ((length(description) <= 500)),
    CONSTRAINT event_definitions_name_check CHECK ((name ~ '^[a-z][a-z0-9_]{0,62}$'::text))
);

ALTER TABLE ONLY public.event_definitions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.event_definitions OWNER TO postgres;

--
-- Name: events; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_sorted_id('evt'::text) NOT NULL,
    participant_id text NOT NULL,
    name text NOT NULL,
    idempotency_key text,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    properties jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT events_idempotency_key_check CHECK (((length(idempotency_key) >= 1) AND (length(idempotency_key) <= 255))),
    CONSTRAINT events_properties_check CHECK ((jsonb_typeof(properties) = 'object'::text))
);

ALTER TABLE ONLY public.events FORCE ROW LEVEL SECURITY;

ALTER TABLE public.events OWNER TO postgres;

--
-- Name: fraud_blocklist; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.fraud_blocklist (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    entry text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT fraud_blocklist_entry_check CHECK ((((length(entry) >= 1) AND (length(entry) <= 254)) AND (entry = lower(entry))))
);

ALTER TABLE ONLY public.fraud_blocklist FORCE ROW LEVEL SECURITY;

ALTER TABLE public.fraud_blocklist OWNER TO postgres;

--
-- Name: fraud_keys; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.fraud_keys (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    hash_key bytea NOT NULL,
    CONSTRAINT fraud_keys_hash_key_check CHECK ((length(hash_key) = 32))
);

ALTER TABLE ONLY public.fraud_keys FORCE ROW LEVEL SECURITY;

ALTER TABLE public.fraud_keys OWNER TO postgres;

--
-- Name: goose_db_version; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.goose_db_version (
    id integer NOT NULL,
    version_id bigint NOT NULL,
    is_applied boolean NOT NULL,
    tstamp timestamp without time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.goose_db_version OWNER TO postgres;

--
-- Name: goose_db_version_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.goose_db_version ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.goose_db_version_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: host_completions; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.host_completions (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    host_id text NOT NULL,
    completed integer NOT NULL,
    CONSTRAINT host_completions_completed_check CHECK ((completed >= 1))
);

ALTER TABLE ONLY public.host_completions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.host_completions OWNER TO postgres;

--
-- Name: invitation_signals; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.invitation_signals (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    invitation_id text NOT NULL,
    code text NOT NULL
);

ALTER TABLE ONLY public.invitation_signals FORCE ROW LEVEL SECURITY;

ALTER TABLE public.invitation_signals OWNER TO postgres;

--
-- Name: invitations; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.invitations (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('inv'::text) NOT NULL,
    campaign_id text NOT NULL,
    kind text NOT NULL,
    host_id text NOT NULL,
    code text,
    referrer_code text,
    channel text DEFAULT ''::text NOT NULL,
    recipient text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    guest_id text,
    claimed_at timestamp with time zone,
    version integer,
    progress smallint DEFAULT 0 NOT NULL,
    completed_at timestamp with time zone,
    completion_number integer,
    expired_at timestamp with time zone,
    risk_signals jsonb,
    risk_level text,
    CONSTRAINT claim_shape CHECK ((((guest_id IS NULL) = (claimed_at IS NULL)) AND ((guest_id IS NULL) = (version IS NULL)) AND ((guest_id IS NOT NULL) OR (progress = 0)))),
    CONSTRAINT completion_shape CHECK ((((completed_at IS NULL) = (completion_number IS NULL)) AND ((completed_at IS NULL) OR (guest_id IS NOT NULL)))),
    CONSTRAINT invitation_risk_level CHECK ((NOT (risk_level IS DISTINCT FROM
CASE
    WHEN (risk_signals @> '[{"level": "high"}]'::jsonb) THEN 'high'::text
    WHEN (risk_signals @> '[{"level": "medium"}]'::jsonb) THEN 'medium'::text
    ELSE NULL::text
END))),
    CONSTRAINT invitation_risk_signals CHECK (((risk_signals IS NULL) OR ((jsonb_typeof(risk_signals) = 'array'::text) AND ((jsonb_array_length(risk_signals) >= 1) AND (jsonb_array_length(risk_signals) <= 32)) AND (NOT jsonb_path_exists(risk_signals, '$[*]?(!(exists (@."level"?(@ == "medium" || @ == "high"))) || !(exists (@."code"?(@.type() == "string"))))'::jsonpath))))),
    CONSTRAINT invitation_shape CHECK ((((kind = 'invitation'::text) AND (code IS NOT NULL) AND (referrer_code IS NULL) AND (expires_at IS NOT NULL)) OR ((kind = 'referrer_code'::text) AND (code IS NULL) AND (referrer_code IS NOT NULL) AND (guest_id IS NOT NULL)))),
    CONSTRAINT invitations_channel_check CHECK ((length(channel) <= 50)),
    CONSTRAINT invitations_completion_number_check CHECK ((completion_number >= 1)),
    CONSTRAINT invitations_kind_check CHECK ((kind = ANY (ARRAY['invitation'::text, 'referrer_code'::text]))),
    CONSTRAINT invitations_progress_check CHECK ((progress >= 0)),
    CONSTRAINT invitations_recipient_check CHECK ((length(recipient) <= 254)),
    CONSTRAINT self_referral CHECK ((guest_id <> host_id))
);

ALTER TABLE ONLY public.invitations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.invitations OWNER TO postgres;

--
-- Name: invite_codes; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.invite_codes (
    code text NOT NULL,
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    kind text NOT NULL,
    CONSTRAINT invite_codes_code_check CHECK ((code ~ '^[2-9A-HJ-NP-Z]{8}$'::text)),
    CONSTRAINT invite_codes_kind_check CHECK ((kind = ANY (ARRAY['invitation'::text, 'referrer_code'::text])))
);

ALTER TABLE ONLY public.invite_codes FORCE ROW LEVEL SECURITY;

ALTER TABLE public.invite_codes OWNER TO postgres;

--
-- Name: job_outbox; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.job_outbox (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_sorted_id('job'::text) NOT NULL,
    kind text NOT NULL,
    queue text NOT NULL,
    max_attempts smallint NOT NULL,
    args jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT job_outbox_args_tenant CHECK (((jsonb_typeof(args) = 'object'::text) AND ((args ->> 'tenant_id'::text) = (tenant_id)::text))),
    CONSTRAINT job_outbox_kind_check CHECK (((char_length(kind) > 0) AND (char_length(kind) < 128))),
    CONSTRAINT job_outbox_max_attempts_check CHECK ((max_attempts > 0)),
    CONSTRAINT job_outbox_queue_check CHECK (((char_length(queue) > 0) AND (char_length(queue) < 128)))
);

ALTER TABLE ONLY public.job_outbox FORCE ROW LEVEL SECURITY;

ALTER TABLE public.job_outbox OWNER TO postgres;

--
-- Name: login_attempts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.login_attempts (
    key text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    failures integer NOT NULL,
    blocked_until timestamp with time zone DEFAULT '-infinity'::timestamp with time zone NOT NULL,
    CONSTRAINT login_attempts_failures_check CHECK ((failures >= 0)),
    CONSTRAINT login_attempts_key_check CHECK ((key ~ '^(email|addr|pair):[0-9a-f]{64}$'::text))
);

ALTER TABLE public.login_attempts OWNER TO postgres;

--
-- Name: login_known_addresses; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.login_known_addresses (
    key text NOT NULL,
    last_login_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT login_known_addresses_key_check CHECK ((key ~ '^pair:[0-9a-f]{64}$'::text))
);

ALTER TABLE public.login_known_addresses OWNER TO postgres;

--
-- Name: member_invitations; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.member_invitations (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('minv'::text) NOT NULL,
    email text NOT NULL,
    role text NOT NULL,
    token_hash bytea NOT NULL,
    invited_by text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT member_invitations_check CHECK ((expires_at > created_at)),
    CONSTRAINT member_invitations_check1 CHECK (((accepted_at IS NULL) OR (revoked_at IS NULL))),
    CONSTRAINT member_invitations_email_check CHECK (((email = lower(email)) AND (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT member_invitations_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'marketer'::text, 'viewer'::text]))),
    CONSTRAINT member_invitations_token_hash_check CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY public.member_invitations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.member_invitations OWNER TO postgres;

--
-- Name: members; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.members (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('mem'::text) NOT NULL,
    email text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    display_name text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT members_display_name_check CHECK ((length(display_name) <= 200)),
    CONSTRAINT members_email_check CHECK (((email = lower(email)) AND (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT members_password_hash_check CHECK ((password_hash ~~ '$argon2id$%'::text)),
    CONSTRAINT members_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'marketer'::text, 'viewer'::text])))
);

ALTER TABLE ONLY public.members FORCE ROW LEVEL SECURITY;

ALTER TABLE public.members OWNER TO postgres;

--
-- Name: participant_clients; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.participant_clients (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    participant_id text NOT NULL,
    client_hash text NOT NULL,
    seen_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT participant_clients_client_hash_check CHECK ((client_hash ~ '^(ip|ua):[0-9a-f]{32}$'::text))
);

ALTER TABLE ONLY public.participant_clients FORCE ROW LEVEL SECURITY;

ALTER TABLE public.participant_clients OWNER TO postgres;

--
-- Name: participant_event_names; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.participant_event_names (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    participant_id text NOT NULL,
    name text NOT NULL,
    first_event_id text
);

ALTER TABLE ONLY public.participant_event_names FORCE ROW LEVEL SECURITY;

ALTER TABLE public.participant_event_names OWNER TO postgres;

--
-- Name: participants; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.participants (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_sorted_id('par'::text) NOT NULL,
    external_id text NOT NULL,
    email text,
    phone text,
    display_name text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    search_external_id text GENERATED ALWAYS AS (lower(external_id)) STORED,
    search_email text GENERATED ALWAYS AS (lower(email)) STORED,
    stripe_customer_id text,
    existing_customer boolean DEFAULT false NOT NULL,
    erased_at timestamp with time zone,
    CONSTRAINT participant_erased_stays_blank CHECK (((erased_at IS NULL) OR ((email IS NULL) AND (phone IS NULL) AND (display_name = ''::text)))),
    CONSTRAINT participants_display_name_check CHECK ((length(display_name) <= 200)),
    CONSTRAINT participants_email_check CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT participants_external_id_check CHECK ((external_id ~ '^[[:graph:]]{1,128}$'::text)),
    CONSTRAINT participants_phone_check CHECK ((phone ~ '^\+?[0-9]{4,20}$'::text)),
    CONSTRAINT participants_stripe_customer_id_check CHECK ((stripe_customer_id ~ '^cus_[A-Za-z0-9]{1,250}$'::text))
);

ALTER TABLE ONLY public.participants FORCE ROW LEVEL SECURITY;

ALTER TABLE public.participants OWNER TO postgres;

--
-- Name: plans; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.plans (
    id text NOT NULL,
    name text NOT NULL,
    rank integer NOT NULL,
    max_active_campaigns integer,
    max_participants integer,
    max_events_per_month integer,
    max_team_seats integer,
    max_webhook_endpoints integer NOT NULL,
    CONSTRAINT plans_id_check CHECK ((id = ANY (ARRAY['free'::text, 'growth'::text, 'scale'::text]))),
    CONSTRAINT plans_max_active_campaigns_check CHECK ((max_active_campaigns > 0)),
    CONSTRAINT plans_max_events_per_month_check CHECK ((max_events_per_month > 0)),
    CONSTRAINT plans_max_participants_check CHECK ((max_participants > 0)),
    CONSTRAINT plans_max_team_seats_check CHECK ((max_team_seats > 0)),
    CONSTRAINT plans_max_webhook_endpoints_check CHECK ((max_webhook_endpoints > 0))
);

ALTER TABLE public.plans OWNER TO postgres;

--
-- Name: raffle_draws; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.raffle_draws (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('rfl'::text) NOT NULL,
    campaign_id text NOT NULL,
    winners integer NOT NULL,
    seed text NOT NULL,
    drawn_by text NOT NULL,
    drawn_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT raffle_draws_seed_check CHECK ((seed ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT raffle_draws_winners_check CHECK (((winners >= 1) AND (winners <= 10000)))
);

ALTER TABLE ONLY public.raffle_draws FORCE ROW LEVEL SECURITY;

ALTER TABLE public.raffle_draws OWNER TO postgres;

--
-- Name: raffle_entries; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.raffle_entries (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    draw_id text NOT NULL,
    participant_id text NOT NULL,
    tickets bigint NOT NULL,
    CONSTRAINT raffle_entries_tickets_check CHECK ((tickets >= 1))
);

ALTER TABLE ONLY public.raffle_entries FORCE ROW LEVEL SECURITY;

ALTER TABLE public.raffle_entries OWNER TO postgres;

--
-- Name: raffle_winners; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.raffle_winners (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    draw_id text NOT NULL,
    place integer NOT NULL,
    participant_id text NOT NULL,
    CONSTRAINT raffle_winners_place_check CHECK ((place >= 1))
);

ALTER TABLE ONLY public.raffle_winners FORCE ROW LEVEL SECURITY;

ALTER TABLE public.raffle_winners OWNER TO postgres;

--
-- Name: referrer_codes; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.referrer_codes (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    campaign_id text NOT NULL,
    host_id text NOT NULL,
    kind text DEFAULT 'referrer_code'::text NOT NULL,
    code text DEFAULT public.register_code('referrer_code'::text) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT referrer_codes_kind_check CHECK ((kind = 'referrer_code'::text))
);

ALTER TABLE ONLY public.referrer_codes FORCE ROW LEVEL SECURITY;

ALTER TABLE public.referrer_codes OWNER TO postgres;

--
-- Name: retention_settings; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.retention_settings (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    event_properties_days integer NOT NULL,
    idempotency_hours integer NOT NULL,
    webhook_days integer NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT retention_event_properties_days CHECK (((event_properties_days >= 1) AND (event_properties_days <= 3650))),
    CONSTRAINT retention_idempotency_hours CHECK (((idempotency_hours >= 1) AND (idempotency_hours <= 720))),
    CONSTRAINT retention_webhook_days CHECK (((webhook_days >= 1) AND (webhook_days <= 3650)))
);

ALTER TABLE ONLY public.retention_settings FORCE ROW LEVEL SECURITY;

ALTER TABLE public.retention_settings OWNER TO postgres;

--
-- Name: reward_fulfilments; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.reward_fulfilments (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    reward_id text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    stripe_object text,
    code text,
    error text DEFAULT ''::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT fulfilment_code CHECK (((code IS NULL) OR (status = 'fulfilled'::text))),
    CONSTRAINT fulfilment_error CHECK (((status = 'failed'::text) = (error <> ''::text))),
    CONSTRAINT fulfilment_object CHECK (((status = 'fulfilled'::text) = (stripe_object IS NOT NULL))),
    CONSTRAINT reward_fulfilments_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT reward_fulfilments_code_check CHECK ((code ~ '^[A-Za-z0-9_-]{1,100}$'::text)),
    CONSTRAINT reward_fulfilments_error_check CHECK ((length(error) <= 500)),
    CONSTRAINT reward_fulfilments_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'fulfilled'::text, 'failed'::text, 'cancelled'::text]))),
    CONSTRAINT reward_fulfilments_stripe_object_check CHECK ((stripe_object ~ '^[A-Za-z0-9_]{1,255}$'::text))
);

ALTER TABLE ONLY public.reward_fulfilments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.reward_fulfilments OWNER TO postgres;

--
-- Name: reward_tokens; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.reward_tokens (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('rwd'::text) NOT NULL,
    participant_id text NOT NULL,
    campaign_id text NOT NULL,
    invitation_id text NOT NULL,
    reason text NOT NULL,
    milestone integer,
    description text NOT NULL,
    kind text NOT NULL,
    quantity integer NOT NULL,
    amount bigint,
    currency text,
    status text DEFAULT 'issued'::text NOT NULL,
    issued_at timestamp with time zone DEFAULT now() NOT NULL,
    status_changed_at timestamp with time zone,
    raffle_draw_id text,
    expires_at timestamp with time zone,
    percent_off numeric,
    reviewed_at timestamp with time zone,
    review_reason text,
    CONSTRAINT reward_amount_cap CHECK ((amount <= '1000000000000'::bigint)),
    CONSTRAINT reward_expires_after_issue CHECK ((expires_at > issued_at)),
    CONSTRAINT reward_money CHECK (((amount IS NULL) = (currency IS NULL))),
    CONSTRAINT reward_percent_kind CHECK (((percent_off IS NULL) OR (kind = 'stripe_coupon'::text))),
    CONSTRAINT reward_quantity_cap CHECK ((quantity <= 1000000)),
    CONSTRAINT reward_raffle_ticket CHECK (((raffle_draw_id IS NULL) OR ((kind = 'ticket'::text) AND (status = 'redeemed'::text)))),
    CONSTRAINT reward_reason_milestone CHECK (((reason = 'guest'::text) = (milestone IS NULL))),
    CONSTRAINT reward_review_shape CHECK ((((status <> 'held'::text) OR (reviewed_at IS NULL)) AND ((review_reason IS NULL) OR ((status = 'voided'::text) AND (reviewed_at IS NOT NULL))))),
    CONSTRAINT reward_status_time CHECK (((status = ANY (ARRAY['held'::text, 'issued'::text])) = (status_changed_at IS NULL))),
    CONSTRAINT reward_stripe_value CHECK (((kind <> ALL (ARRAY['stripe_coupon'::text, 'stripe_balance'::text])) OR
CASE
    WHEN (percent_off IS NULL) THEN (COALESCE(amount, (0)::bigint) > 0)
    ELSE (amount IS NULL)
END)),
    CONSTRAINT reward_tokens_amount_check CHECK ((amount >= 0)),
    CONSTRAINT reward_tokens_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT reward_tokens_description_check CHECK (((length(description) >= 1) AND (length(description) <= 500))),
    CONSTRAINT reward_tokens_kind_check CHECK ((kind = ANY (ARRAY['credit'::text, 'coupon'::text, 'cash'::text, 'ticket'::text, 'custom'::text, 'stripe_coupon'::text, 'stripe_balance'::text]))),
    CONSTRAINT reward_tokens_milestone_check CHECK ((milestone >= 1)),
    CONSTRAINT reward_tokens_percent_off_check CHECK (((percent_off > (0)::numeric) AND (percent_off <= (100)::numeric) AND (percent_off = round(percent_off, 2)))),
    CONSTRAINT reward_tokens_quantity_check CHECK ((quantity >= 1)),
    CONSTRAINT reward_tokens_reason_check CHECK ((reason = ANY (ARRAY['guest'::text, 'host_milestone'::text]))),
    CONSTRAINT reward_tokens_review_reason_check CHECK (((length(review_reason) >= 1) AND (length(review_reason) <= 500))),
    CONSTRAINT reward_tokens_status_check CHECK ((status = ANY (ARRAY['held'::text, 'issued'::text, 'redeemed'::text, 'voided'::text, 'expired'::text])))
);

ALTER TABLE ONLY public.reward_tokens FORCE ROW LEVEL SECURITY;

ALTER TABLE public.reward_tokens OWNER TO postgres;

--
-- Name: river_job; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.river_job (
    id bigint NOT NULL,
    state public.river_job_state DEFAULT 'available'::public.river_job_state NOT NULL,
    attempt smallint DEFAULT 0 NOT NULL,
    max_attempts smallint DEFAULT 25 NOT NULL,
    attempted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finalized_at timestamp with time zone,
    scheduled_at timestamp with time zone DEFAULT now() NOT NULL,
    priority smallint DEFAULT 1 NOT NULL,
    args jsonb NOT NULL,
    attempted_by text[],
    errors jsonb[],
    kind text NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    queue text DEFAULT 'default'::text NOT NULL,
    tags character varying(255)[] DEFAULT '{}'::character varying[] NOT NULL,
    unique_key bytea,
    unique_states bit(8),
    CONSTRAINT finalized_or_finalized_at_null CHECK ((((finalized_at IS NULL) AND (state <> ALL (ARRAY['cancelled'::public.river_job_state, 'completed'::public.river_job_state, 'discarded'::public.river_job_state]))) OR ((finalized_at IS NOT NULL) AND (state = ANY (ARRAY['cancelled'::public.river_job_state, 'completed'::public.river_job_state, 'discarded'::public.river_job_state]))))),
    CONSTRAINT kind_length CHECK (((char_length(kind) > 0) AND (char_length(kind) < 128))),
    CONSTRAINT max_attempts_is_positive CHECK ((max_attempts > 0)),
    CONSTRAINT priority_in_range CHECK (((priority >= 1) AND (priority <= 4))),
    CONSTRAINT queue_length CHECK (((char_length(queue) > 0) AND (char_length(queue) < 128)))
);

ALTER TABLE public.river_job OWNER TO postgres;

--
-- Name: river_job_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.river_job_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER TABLE public.river_job_id_seq OWNER TO postgres;

--
-- Name: river_job_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.river_job_id_seq OWNED BY public.river_job.id;

--
-- Name: river_leader; Type: TABLE; Schema: public; Owner: postgres
--

CREATE UNLOGGED TABLE public.river_leader (
    elected_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    leader_id text NOT NULL,
    name text DEFAULT 'default'::text NOT NULL,
    CONSTRAINT leader_id_length CHECK (((char_length(leader_id) > 0) AND (char_length(leader_id) < 128))),
    CONSTRAINT name_length CHECK ((name = 'default'::text))
);

ALTER TABLE public.river_leader OWNER TO postgres;

--
-- Name: river_migration; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.river_migration (
    line text NOT NULL,
    version bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT line_length CHECK (((char_length(line) > 0) AND (char_length(line) < 128))),
    CONSTRAINT version_gte_1 CHECK ((version >= 1))
);

ALTER TABLE public.river_migration OWNER TO postgres;

--
-- Name: river_notification; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.river_notification (
    id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    payload text NOT NULL,
    topic text NOT NULL,
    CONSTRAINT topic_length CHECK (((length(topic) > 0) AND (length(topic) < 128)))
);

ALTER TABLE public.river_notification OWNER TO postgres;

--
-- Name: river_notification_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.river_notification_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER TABLE public.river_notification_id_seq OWNER TO postgres;

--
-- Name: river_notification_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.river_notification_id_seq OWNED BY public.river_notification.id;

--
-- Name: river_queue; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.river_queue (
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    paused_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

ALTER TABLE public.river_queue OWNER TO postgres;

--
-- Name: rollup_deltas; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.rollup_deltas (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('rdl'::text) NOT NULL,
    campaign_id text NOT NULL,
    rollup text NOT NULL,
    day date,
    kind text,
    currency text,
    created bigint DEFAULT 0 NOT NULL,
    claimed bigint DEFAULT 0 NOT NULL,
    completed bigint DEFAULT 0 NOT NULL,
    reached bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    issued bigint DEFAULT 0 NOT NULL,
    issued_quantity numeric DEFAULT 0 NOT NULL,
    issued_amount numeric DEFAULT 0 NOT NULL,
    redeemed bigint DEFAULT 0 NOT NULL,
    redeemed_quantity numeric DEFAULT 0 NOT NULL,
    redeemed_amount numeric DEFAULT 0 NOT NULL,
    voided bigint DEFAULT 0 NOT NULL,
    voided_amount numeric DEFAULT 0 NOT NULL,
    expired bigint DEFAULT 0 NOT NULL,
    expired_amount numeric DEFAULT 0 NOT NULL,
    held bigint DEFAULT 0 NOT NULL,
    held_amount numeric DEFAULT 0 NOT NULL,
    CONSTRAINT rollup_delta_keyed CHECK (
CASE rollup
    WHEN 'funnel'::text THEN ((day IS NULL) AND (kind IS NULL) AND (currency IS NULL))
    WHEN 'day'::text THEN ((day IS NOT NULL) AND (kind IS NULL) AND (currency IS NULL) AND (reached = '{}'::bigint[]))
    WHEN 'reward'::text THEN ((day IS NULL) AND (kind IS NOT NULL) AND (currency IS NOT NULL) AND (created = 0) AND (claimed = 0) AND (completed = 0) AND (reached = '{}'::bigint[]))
    ELSE false
END)
);

ALTER TABLE ONLY public.rollup_deltas FORCE ROW LEVEL SECURITY;

ALTER TABLE public.rollup_deltas OWNER TO postgres;

--
-- Name: sessions; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.sessions (
    token text NOT NULL,
    data bytea NOT NULL,
    expiry timestamp with time zone NOT NULL
);

ALTER TABLE public.sessions OWNER TO postgres;

--
-- Name: stripe_connections; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.stripe_connections (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    api_key bytea NOT NULL,
    key_hint text NOT NULL,
    connected_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT stripe_connections_api_key_check CHECK (((length(api_key) >= 28) AND (length(api_key) <= 400))),
    CONSTRAINT stripe_connections_key_hint_check CHECK ((key_hint ~ '^(sk|rk)_(test|live)_…[A-Za-z0-9]{4}$'::text))
);

ALTER TABLE ONLY public.stripe_connections FORCE ROW LEVEL SECURITY;

ALTER TABLE public.stripe_connections OWNER TO postgres;

--
-- Name: stripe_events; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.stripe_events (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    created timestamp with time zone NOT NULL,
    outcome text NOT NULL,
    processed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT stripe_events_event_id_check CHECK ((event_id ~ '^evt_[A-Za-z0-9]{1,250}$'::text)),
    CONSTRAINT stripe_events_outcome_check CHECK ((outcome = ANY (ARRAY['applied'::text, 'stale'::text, 'ignored'::text]))),
    CONSTRAINT stripe_events_type_check CHECK (((length(type) >= 1) AND (length(type) <= 100)))
);

ALTER TABLE ONLY public.stripe_events FORCE ROW LEVEL SECURITY;

ALTER TABLE public.stripe_events OWNER TO postgres;

--
-- Name: tenant_branding; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tenant_branding (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    logo_url text DEFAULT ''::text NOT NULL,
    accent_color text DEFAULT ''::text NOT NULL,
    sender_name text DEFAULT ''::text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    default_locale text DEFAULT 'en'::text NOT NULL,
    name_hosts boolean DEFAULT false NOT NULL,
    CONSTRAINT branding_accent_color CHECK (((accent_color = ''::text) OR (accent_color ~ '^#[0-9a-f]{6}$'::text))),
    CONSTRAINT branding_default_locale CHECK ((default_locale = ANY (ARRAY['en'::text, 'fr'::text]))),
    CONSTRAINT branding_logo_url CHECK (((logo_url = ''::text) OR ((logo_url ~ '^https?://[^/\s"''<>\\]+(/[^\s"''<>\\]*)?$'::text) AND (length(logo_url) <= 2048)))),
    CONSTRAINT branding_sender_name CHECK (((length(sender_name) <= 80) AND (sender_name = btrim(sender_name)) AND (sender_name !~ '[[:cntrl:]]'::text)))
);

ALTER TABLE ONLY public.tenant_branding FORCE ROW LEVEL SECURITY;

ALTER TABLE public.tenant_branding OWNER TO postgres;

--
-- Name: tenant_texts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tenant_texts (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    locale text NOT NULL,
    name text NOT NULL,
    body text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenant_text_body CHECK (((body <> ''::text) AND (body = btrim(body)) AND (body !~ '[[:cntrl:]]'::text) AND (length(body) <=
CASE name
    WHEN 'invite_headline'::text THEN 120
    WHEN 'invite_body'::text THEN 400
    ELSE 200
END))),
    CONSTRAINT tenant_text_locale CHECK ((locale = ANY (ARRAY['en'::text, 'fr'::text]))),
    CONSTRAINT tenant_text_name CHECK ((name = ANY (ARRAY['invite_headline'::text, 'invite_body'::text, 'widget_offer'::text, 'widget_no_friends_code'::text, 'widget_no_friends_invitation'::text, 'widget_no_rewards'::text]))),
    CONSTRAINT tenant_text_placeholders CHECK ((
CASE name
    WHEN 'widget_offer'::text THEN regexp_replace(body, '\{(host|reward)\}'::text, ''::text, 'g'::text)
    WHEN 'invite_headline'::text THEN regexp_replace(body, '\{host\}'::text, ''::text, 'g'::text)
    WHEN 'invite_body'::text THEN regexp_replace(body, '\{host\}'::text, ''::text, 'g'::text)
    ELSE body
END !~ '[{}]'::text))
);

ALTER TABLE ONLY public.tenant_texts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.tenant_texts OWNER TO postgres;

--
-- Name: tenant_translations; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tenant_translations (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    locale text NOT NULL,
    kind text NOT NULL,
    source text NOT NULL,
    translation text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenant_translation_kind CHECK ((kind = ANY (ARRAY['campaign_name'::text, 'step_label'::text, 'reward_description'::text]))),
    CONSTRAINT tenant_translation_length CHECK (((length(translation) <=
CASE kind
    WHEN 'campaign_name'::text THEN 200
    WHEN 'step_label'::text THEN 80
    ELSE 500
END) AND (length(source) <=
CASE kind
    WHEN 'campaign_name'::text THEN 200
    WHEN 'step_label'::text THEN 80
    ELSE 500
END))),
    CONSTRAINT tenant_translation_locale CHECK ((locale = ANY (ARRAY['en'::text, 'fr'::text]))),
    CONSTRAINT tenant_translation_one_line CHECK (((translation <> ''::text) AND (translation = btrim(translation)) AND (translation !~ '[[:cntrl:]]'::text) AND (source <> ''::text)))
);

ALTER TABLE ONLY public.tenant_translations FORCE ROW LEVEL SECURITY;

ALTER TABLE public.tenant_translations OWNER TO postgres;

--
-- Name: tenants; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    plan text,
    billing_status text DEFAULT 'none'::text NOT NULL,
    stripe_customer_id text,
    stripe_subscription_id text,
    billing_synced_at timestamp with time zone,
    deletion_requested_at timestamp with time zone,
    deletion_due_at timestamp with time zone,
    purge_from text,
    CONSTRAINT tenant_deletion_grace CHECK ((((deletion_requested_at IS NULL) = (deletion_due_at IS NULL)) AND ((deletion_due_at - deletion_requested_at) >= '168:00:00'::interval))),
    CONSTRAINT tenants_billing_status_check CHECK ((billing_status = ANY (ARRAY['none'::text, 'incomplete'::text, 'incomplete_expired'::text, 'trialing'::text, 'active'::text, 'past_due'::text, 'canceled'::text, 'unpaid'::text, 'paused'::text]))),
    CONSTRAINT tenants_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT tenants_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'::text)),
    CONSTRAINT tenants_stripe_customer_id_check CHECK ((stripe_customer_id ~ '^cus_[A-Za-z0-9]{1,250}$'::text)),
    CONSTRAINT tenants_stripe_subscription_id_check CHECK ((stripe_subscription_id ~ '^sub_[A-Za-z0-9]{1,250}$'::text))
);

ALTER TABLE ONLY public.tenants FORCE ROW LEVEL SECURITY;

ALTER TABLE public.tenants OWNER TO postgres;

--
-- Name: webhook_attempts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.webhook_attempts (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    delivery_id text NOT NULL,
    attempt integer NOT NULL,
    attempted_at timestamp with time zone DEFAULT now() NOT NULL,
    status_code integer,
    duration_ms integer NOT NULL,
    error text DEFAULT ''::text NOT NULL,
    response text DEFAULT ''::text NOT NULL,
    CONSTRAINT webhook_attempts_attempt_check CHECK ((attempt >= 1)),
    CONSTRAINT webhook_attempts_duration_ms_check CHECK ((duration_ms >= 0)),
    CONSTRAINT webhook_attempts_error_check CHECK ((length(error) <= 500)),
    CONSTRAINT webhook_attempts_response_check CHECK ((length(response) <= 1000)),
    CONSTRAINT webhook_attempts_status_code_check CHECK (((status_code >= 100) AND (status_code <= 599)))
);

ALTER TABLE ONLY public.webhook_attempts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.webhook_attempts OWNER TO postgres;

--
-- Name: webhook_deliveries; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.webhook_deliveries (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('whd'::text) NOT NULL,
    message_id text NOT NULL,
    endpoint_id text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT delivery_finished CHECK (((status = 'pending'::text) = (finished_at IS NULL))),
    CONSTRAINT webhook_deliveries_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT webhook_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text])))
);

ALTER TABLE ONLY public.webhook_deliveries FORCE ROW LEVEL SECURITY;

ALTER TABLE public.webhook_deliveries OWNER TO postgres;

--
-- Name: webhook_endpoints; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.webhook_endpoints (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('whe'::text) NOT NULL,
    url text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    events text[] NOT NULL,
    status text DEFAULT 'enabled'::text NOT NULL,
    disabled_reason text,
    secret bytea NOT NULL,
    previous_secret bytea,
    previous_until timestamp with time zone,
    failing_since timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT endpoint_disabled_reason CHECK (((status = 'disabled'::text) = (disabled_reason IS NOT NULL))),
    CONSTRAINT endpoint_previous_secret CHECK (((previous_secret IS NULL) = (previous_until IS NULL))),
    CONSTRAINT webhook_endpoints_description_check CHECK ((length(description) <= 500)),
    CONSTRAINT webhook_endpoints_disabled_reason_check CHECK ((disabled_reason = ANY (ARRAY['tenant'::text, 'failing'::text]))),
    CONSTRAINT webhook_endpoints_events_check CHECK ((((cardinality(events) >= 1) AND (cardinality(events) <= 22)) AND (events <@ ARRAY['*'::text, 'invitation.created'::text, 'invitation.claimed'::text, 'quest.progressed'::text, 'invitation.completed'::text, 'invitation.expired'::text, 'reward.issued'::text, 'reward.redeemed'::text, 'reward.voided'::text, 'reward.expired'::text, 'reward.held'::text, 'reward.approved'::text, 'reward.rejected'::text, 'reward.fulfilled'::text, 'reward.fulfilment_failed'::text, 'raffle.drawn'::text, 'campaign.published'::text, 'campaign.paused'::text, 'campaign.ended'::text, 'participant.created'::text, 'participant.updated'::text, 'participant.erased'::text]))),
    CONSTRAINT webhook_endpoints_previous_secret_check CHECK (((length(previous_secret) >= 28) AND (length(previous_secret) <= 200))),
    CONSTRAINT webhook_endpoints_secret_check CHECK (((length(secret) >= 28) AND (length(secret) <= 200))),
    CONSTRAINT webhook_endpoints_status_check CHECK ((status = ANY (ARRAY['enabled'::text, 'disabled'::text]))),
    CONSTRAINT webhook_url CHECK (((url ~ '^https?://[^[:space:]]+$'::text) AND (length(url) <= 2000)))
);

ALTER TABLE ONLY public.webhook_endpoints FORCE ROW LEVEL SECURITY;

ALTER TABLE public.webhook_endpoints OWNER TO postgres;

--
-- Name: webhook_messages; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.webhook_messages (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_sorted_id('msg'::text) NOT NULL,
    type text NOT NULL,
    object_id text NOT NULL,
    facts jsonb DEFAULT '{}'::jsonb NOT NULL,
    payload bytea,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    snapshot jsonb,
    CONSTRAINT webhook_messages_facts_check CHECK ((jsonb_typeof(facts) = 'object'::text)),
    CONSTRAINT webhook_messages_object_id_check CHECK ((length(object_id) <= 200)),
    CONSTRAINT webhook_messages_payload_check CHECK ((length(payload) <= 1048576)),
    CONSTRAINT webhook_messages_type_check CHECK (((type ~ '^[a-z_]+\.[a-z_]+$'::text) AND (length(type) <= 50))),
    CONSTRAINT webhook_snapshot_object CHECK (((snapshot IS NULL) OR (jsonb_typeof(snapshot) = 'object'::text)))
);

ALTER TABLE ONLY public.webhook_messages FORCE ROW LEVEL SECURITY;

ALTER TABLE public.webhook_messages OWNER TO postgres;

--
-- Name: widget_settings; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.widget_settings (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    allowed_origins text[] DEFAULT '{}'::text[] NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT widget_origins CHECK (public.widget_origins_valid(allowed_origins))
);

ALTER TABLE ONLY public.widget_settings FORCE ROW LEVEL SECURITY;

ALTER TABLE public.widget_settings OWNER TO postgres;

--
-- Name: widget_tokens; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.widget_tokens (
    tenant_id uuid DEFAULT public.app_tenant_id() NOT NULL,
    id text DEFAULT public.new_id('wtk'::text) NOT NULL,
    token_hash bytea NOT NULL,
    key_id text NOT NULL,
    participant_id text NOT NULL,
    campaign_id text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT widget_token_lifetime CHECK (((expires_at > created_at) AND (expires_at <= (created_at + '24:00:00'::interval)))),
    CONSTRAINT widget_tokens_token_hash_check CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY public.widget_tokens FORCE ROW LEVEL SECURITY;

ALTER TABLE public.widget_tokens OWNER TO postgres;

--
-- Name: river_job id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.river_job ALTER COLUMN id SET DEFAULT nextval('public.river_job_id_seq'::regclass);

--
-- Name: river_notification id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.river_notification ALTER COLUMN id SET DEFAULT nextval('public.river_notification_id_seq'::regclass);

--
-- Name: api_idempotency api_idempotency_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_idempotency
    ADD CONSTRAINT api_idempotency_pkey PRIMARY KEY (tenant_id, key);

--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: api_keys api_keys_tenant_id_lookup_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_tenant_id_lookup_key UNIQUE (tenant_id, lookup);

--
-- Name: api_rate_limits api_rate_limits_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_rate_limits
    ADD CONSTRAINT api_rate_limits_pkey PRIMARY KEY (tenant_id, key_id, window_start);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: campaign_day_rollups campaign_day_rollups_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_day_rollups
    ADD CONSTRAINT campaign_day_rollups_pkey PRIMARY KEY (tenant_id, campaign_id, day, shard);

--
-- Name: campaign_migrations campaign_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_migrations
    ADD CONSTRAINT campaign_migrations_pkey PRIMARY KEY (tenant_id, campaign_id, version);

--
-- Name: campaign_reward_rollups campaign_reward_rollups_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_reward_rollups
    ADD CONSTRAINT campaign_reward_rollups_pkey PRIMARY KEY (tenant_id, campaign_id, kind, currency, shard);

--
-- Name: campaign_rollups campaign_rollups_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_rollups
    ADD CONSTRAINT campaign_rollups_pkey PRIMARY KEY (tenant_id, campaign_id, shard);

--
-- Name: campaign_version_milestones campaign_version_milestones_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_version_milestones
    ADD CONSTRAINT campaign_version_milestones_pkey PRIMARY KEY (tenant_id, campaign_id, version, nth);

--
-- Name: campaign_version_steps campaign_version_steps_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_version_steps
    ADD CONSTRAINT campaign_version_steps_pkey PRIMARY KEY (tenant_id, campaign_id, version, "position");

--
-- Name: campaign_versions campaign_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_versions
    ADD CONSTRAINT campaign_versions_pkey PRIMARY KEY (tenant_id, campaign_id, version);

--
-- Name: campaigns campaigns_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: campaigns campaigns_tenant_id_id_mode_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_tenant_id_id_mode_key UNIQUE (tenant_id, id, mode);

--
-- Name: campaigns campaigns_tenant_id_slug_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_tenant_id_slug_key UNIQUE (tenant_id, slug);

--
-- Name: invitations completion_number_once; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT completion_number_once UNIQUE (tenant_id, campaign_id, host_id, completion_number);

--
-- Name: disposable_email_domains disposable_email_domains_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.disposable_email_domains
    ADD CONSTRAINT disposable_email_domains_pkey PRIMARY KEY (domain);

--
-- Name: event_definitions event_definitions_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.event_definitions
    ADD CONSTRAINT event_definitions_pkey PRIMARY KEY (tenant_id, name);

--
-- Name: events event_idempotency_key_once; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT event_idempotency_key_once UNIQUE (tenant_id, idempotency_key);

--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: fraud_blocklist fraud_blocklist_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.fraud_blocklist
    ADD CONSTRAINT fraud_blocklist_pkey PRIMARY KEY (tenant_id, entry);

--
-- Name: fraud_keys fraud_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.fraud_keys
    ADD CONSTRAINT fraud_keys_pkey PRIMARY KEY (tenant_id);

--
-- Name: goose_db_version goose_db_version_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.goose_db_version
    ADD CONSTRAINT goose_db_version_pkey PRIMARY KEY (id);

--
-- Name: invitations guest_once_per_campaign; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT guest_once_per_campaign UNIQUE (tenant_id, campaign_id, guest_id);

--
-- Name: host_completions host_completions_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.host_completions
    ADD CONSTRAINT host_completions_pkey PRIMARY KEY (tenant_id, campaign_id, host_id);

--
-- Name: invitation_signals invitation_signals_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitation_signals
    ADD CONSTRAINT invitation_signals_pkey PRIMARY KEY (tenant_id, invitation_id, code);

--
-- Name: invitations invitations_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: invitations invitations_tenant_id_code_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_tenant_id_code_key UNIQUE (tenant_id, code);

--
-- Name: invite_codes invite_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invite_codes
    ADD CONSTRAINT invite_codes_pkey PRIMARY KEY (code);

--
-- Name: invite_codes invite_codes_tenant_id_code_kind_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invite_codes
    ADD CONSTRAINT invite_codes_tenant_id_code_kind_key UNIQUE (tenant_id, code, kind);

--
-- Name: job_outbox job_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.job_outbox
    ADD CONSTRAINT job_outbox_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: login_attempts login_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.login_attempts
    ADD CONSTRAINT login_attempts_pkey PRIMARY KEY (key);

--
-- Name: login_known_addresses login_known_addresses_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.login_known_addresses
    ADD CONSTRAINT login_known_addresses_pkey PRIMARY KEY (key);

--
-- Name: member_invitations member_invitations_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.member_invitations
    ADD CONSTRAINT member_invitations_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: member_invitations member_invitations_tenant_id_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.member_invitations
    ADD CONSTRAINT member_invitations_tenant_id_token_hash_key UNIQUE (tenant_id, token_hash);

--
-- Name: members members_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.members
    ADD CONSTRAINT members_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: members members_tenant_id_email_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.members
    ADD CONSTRAINT members_tenant_id_email_key UNIQUE (tenant_id, email);

--
-- Name: participant_clients participant_clients_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participant_clients
    ADD CONSTRAINT participant_clients_pkey PRIMARY KEY (tenant_id, participant_id, client_hash);

--
-- Name: participant_event_names participant_event_names_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participant_event_names
    ADD CONSTRAINT participant_event_names_pkey PRIMARY KEY (tenant_id, participant_id, name);

--
-- Name: participants participants_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participants
    ADD CONSTRAINT participants_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: participants participants_tenant_id_external_id_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participants
    ADD CONSTRAINT participants_tenant_id_external_id_key UNIQUE (tenant_id, external_id);

--
-- Name: plans plans_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_pkey PRIMARY KEY (id);

--
-- Name: plans plans_rank_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_rank_key UNIQUE (rank);

--
-- Name: campaign_version_steps quest_steps_distinct; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_version_steps
    ADD CONSTRAINT quest_steps_distinct UNIQUE (tenant_id, campaign_id, version, event_name);

--
-- Name: raffle_draws raffle_draws_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_draws
    ADD CONSTRAINT raffle_draws_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: raffle_draws raffle_draws_tenant_id_id_campaign_id_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_draws
    ADD CONSTRAINT raffle_draws_tenant_id_id_campaign_id_key UNIQUE (tenant_id, id, campaign_id);

--
-- Name: raffle_entries raffle_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_entries
    ADD CONSTRAINT raffle_entries_pkey PRIMARY KEY (tenant_id, draw_id, participant_id);

--
-- Name: raffle_winners raffle_winners_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_winners
    ADD CONSTRAINT raffle_winners_pkey PRIMARY KEY (tenant_id, draw_id, place);

--
-- Name: raffle_winners raffle_winners_tenant_id_draw_id_participant_id_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_winners
    ADD CONSTRAINT raffle_winners_tenant_id_draw_id_participant_id_key UNIQUE (tenant_id, draw_id, participant_id);

--
-- Name: referrer_codes referrer_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.referrer_codes
    ADD CONSTRAINT referrer_codes_pkey PRIMARY KEY (tenant_id, campaign_id, host_id);

--
-- Name: referrer_codes referrer_codes_tenant_id_campaign_id_host_id_code_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.referrer_codes
    ADD CONSTRAINT referrer_codes_tenant_id_campaign_id_host_id_code_key UNIQUE (tenant_id, campaign_id, host_id, code);

--
-- Name: referrer_codes referrer_codes_tenant_id_code_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.referrer_codes
    ADD CONSTRAINT referrer_codes_tenant_id_code_key UNIQUE (tenant_id, code);

--
-- Name: retention_settings retention_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.retention_settings
    ADD CONSTRAINT retention_settings_pkey PRIMARY KEY (tenant_id);

--
-- Name: reward_fulfilments reward_fulfilments_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_fulfilments
    ADD CONSTRAINT reward_fulfilments_pkey PRIMARY KEY (tenant_id, reward_id);

--
-- Name: reward_tokens reward_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_tokens
    ADD CONSTRAINT reward_tokens_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: river_job river_job_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.river_job
    ADD CONSTRAINT river_job_pkey PRIMARY KEY (id);

--
-- Name: river_leader river_leader_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.river_leader
    ADD CONSTRAINT river_leader_pkey PRIMARY KEY (name);

--
-- Name: river_migration river_migration_pkey1; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.river_migration
    ADD CONSTRAINT river_migration_pkey1 PRIMARY KEY (line, version);

--
-- Name: river_notification river_notification_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.river_notification
    ADD CONSTRAINT river_notification_pkey PRIMARY KEY (id);

--
-- Name: river_queue river_queue_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.river_queue
    ADD CONSTRAINT river_queue_pkey PRIMARY KEY (name);

--
-- Name: rollup_deltas rollup_deltas_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.rollup_deltas
    ADD CONSTRAINT rollup_deltas_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token);

--
-- Name: stripe_connections stripe_connections_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.stripe_connections
    ADD CONSTRAINT stripe_connections_pkey PRIMARY KEY (tenant_id);

--
-- Name: stripe_events stripe_events_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.stripe_events
    ADD CONSTRAINT stripe_events_pkey PRIMARY KEY (tenant_id, event_id);

--
-- Name: tenant_branding tenant_branding_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenant_branding
    ADD CONSTRAINT tenant_branding_pkey PRIMARY KEY (tenant_id);

--
-- Name: tenant_texts tenant_texts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenant_texts
    ADD CONSTRAINT tenant_texts_pkey PRIMARY KEY (tenant_id, locale, name);

--
-- Name: tenant_translations tenant_translations_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenant_translations
    ADD CONSTRAINT tenant_translations_pkey PRIMARY KEY (tenant_id, locale, kind, source);

--
-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

--
-- Name: tenants tenants_slug_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenants
    ADD CONSTRAINT tenants_slug_key UNIQUE (slug);

--
-- Name: tenants tenants_stripe_customer_id_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenants
    ADD CONSTRAINT tenants_stripe_customer_id_key UNIQUE (stripe_customer_id);

--
-- Name: webhook_attempts webhook_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_attempts
    ADD CONSTRAINT webhook_attempts_pkey PRIMARY KEY (tenant_id, delivery_id, attempt);

--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: webhook_deliveries webhook_deliveries_tenant_id_message_id_endpoint_id_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_tenant_id_message_id_endpoint_id_key UNIQUE (tenant_id, message_id, endpoint_id);

--
-- Name: webhook_endpoints webhook_endpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: webhook_messages webhook_messages_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_messages
    ADD CONSTRAINT webhook_messages_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: widget_settings widget_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_settings
    ADD CONSTRAINT widget_settings_pkey PRIMARY KEY (tenant_id);

--
-- Name: widget_tokens widget_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_tokens
    ADD CONSTRAINT widget_tokens_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: widget_tokens widget_tokens_tenant_id_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_tokens
    ADD CONSTRAINT widget_tokens_tenant_id_token_hash_key UNIQUE (tenant_id, token_hash);

--
-- Name: api_idempotency_created; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX api_idempotency_created ON public.api_idempotency USING btree (tenant_id, created_at);

--
-- Name: api_keys_lookup; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX api_keys_lookup ON public.api_keys USING btree (lookup);

--
-- Name: audit_log_by_action; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX audit_log_by_action ON public.audit_log USING btree (tenant_id, action text_pattern_ops);

--
-- Name: audit_log_by_actor; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX audit_log_by_actor ON public.audit_log USING btree (tenant_id, actor, id);

--
-- Name: audit_log_by_subject; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX audit_log_by_subject ON public.audit_log USING btree (tenant_id, subject, id);

--
-- Name: campaign_migrations_one_running; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX campaign_migrations_one_running ON public.campaign_migrations USING btree (tenant_id, campaign_id) WHERE (finished_at IS NULL);

--
-- Name: campaign_version_steps_by_event; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX campaign_version_steps_by_event ON public.campaign_version_steps USING btree (tenant_id, event_name);

--
-- Name: campaign_versions_one_draft; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX campaign_versions_one_draft ON public.campaign_versions USING btree (tenant_id, campaign_id) WHERE (published_at IS NULL);

--
-- Name: events_claimed_by_guest; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_claimed_by_guest ON public.events USING btree (tenant_id, participant_id) WHERE (name = 'invitation_claimed'::text);

--
-- Name: events_properties_unblanked; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_properties_unblanked ON public.events USING btree (tenant_id, received_at) WHERE ((properties <> '{}'::jsonb) AND (name <> 'invitation_claimed'::text));

--
-- Name: host_completions_top; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX host_completions_top ON public.host_completions USING btree (tenant_id, campaign_id, completed DESC, host_id);

--
-- Name: invitation_signals_by_code; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitation_signals_by_code ON public.invitation_signals USING btree (tenant_id, code, invitation_id);

--
-- Name: invitations_by_campaign; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitations_by_campaign ON public.invitations USING btree (tenant_id, campaign_id, created_at);

--
-- Name: invitations_by_guest; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitations_by_guest ON public.invitations USING btree (tenant_id, guest_id) WHERE (guest_id IS NOT NULL);

--
-- Name: invitations_by_host; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitations_by_host ON public.invitations USING btree (tenant_id, host_id, campaign_id, created_at);

--
-- Name: invitations_due_expiry; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitations_due_expiry ON public.invitations USING btree (tenant_id, expires_at) WHERE ((guest_id IS NULL) AND (expired_at IS NULL));

--
-- Name: invitations_in_flight; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitations_in_flight ON public.invitations USING btree (tenant_id, campaign_id, host_id, id) WHERE ((guest_id IS NOT NULL) AND (completed_at IS NULL));

--
-- Name: invitations_open_by_guest; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitations_open_by_guest ON public.invitations USING btree (tenant_id, guest_id) WHERE ((completed_at IS NULL) AND (guest_id IS NOT NULL));

--
-- Name: invitations_recent; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX invitations_recent ON public.invitations USING btree (tenant_id, created_at, id);

--
-- Name: job_outbox_oldest; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX job_outbox_oldest ON public.job_outbox USING btree (created_at, id);

--
-- Name: login_attempts_window_start_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX login_attempts_window_start_idx ON public.login_attempts USING btree (window_start);

--
-- Name: login_known_addresses_last_login_at; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX login_known_addresses_last_login_at ON public.login_known_addresses USING btree (last_login_at);

--
-- Name: member_invitations_token_hash_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX member_invitations_token_hash_idx ON public.member_invitations USING btree (token_hash);

--
-- Name: participants_email_prefix; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX participants_email_prefix ON public.participants USING btree (tenant_id, search_email text_pattern_ops) WHERE (search_email IS NOT NULL);

--
-- Name: participants_external_id_prefix; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX participants_external_id_prefix ON public.participants USING btree (tenant_id, search_external_id text_pattern_ops);

--
-- Name: participants_recent; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX participants_recent ON public.participants USING btree (tenant_id, created_at, id);

--
-- Name: raffle_draws_recent; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX raffle_draws_recent ON public.raffle_draws USING btree (tenant_id, drawn_at);

--
-- Name: reward_fulfilments_by_status; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_fulfilments_by_status ON public.reward_fulfilments USING btree (tenant_id, status);

--
-- Name: reward_tokens_by_campaign; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_by_campaign ON public.reward_tokens USING btree (tenant_id, campaign_id, status, issued_at);

--
-- Name: reward_tokens_by_participant; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_by_participant ON public.reward_tokens USING btree (tenant_id, participant_id, issued_at);

--
-- Name: reward_tokens_due; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_due ON public.reward_tokens USING btree (tenant_id, expires_at) WHERE ((status = 'issued'::text) AND (expires_at IS NOT NULL));

--
-- Name: reward_tokens_held; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_held ON public.reward_tokens USING btree (tenant_id, issued_at, id) WHERE (status = 'held'::text);

--
-- Name: reward_tokens_held_by_invitation; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_held_by_invitation ON public.reward_tokens USING btree (tenant_id, invitation_id) WHERE (status = 'held'::text);

--
-- Name: reward_tokens_one_guest_reward; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX reward_tokens_one_guest_reward ON public.reward_tokens USING btree (tenant_id, invitation_id) WHERE (reason = 'guest'::text);

--
-- Name: reward_tokens_one_host_milestone; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX reward_tokens_one_host_milestone ON public.reward_tokens USING btree (tenant_id, campaign_id, participant_id, milestone) WHERE (reason = 'host_milestone'::text);

--
-- Name: reward_tokens_queue; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_queue ON public.reward_tokens USING btree (tenant_id, status, issued_at);

--
-- Name: reward_tokens_raffle_pot; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_raffle_pot ON public.reward_tokens USING btree (tenant_id, campaign_id) WHERE ((kind = 'ticket'::text) AND (status = 'issued'::text));

--
-- Name: reward_tokens_recent; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX reward_tokens_recent ON public.reward_tokens USING btree (tenant_id, issued_at, id);

--
-- Name: river_job_args_index; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX river_job_args_index ON public.river_job USING gin (args);

--
-- Name: river_job_kind; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX river_job_kind ON public.river_job USING btree (kind);

--
-- Name: river_job_metadata_index; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX river_job_metadata_index ON public.river_job USING gin (metadata);

--
-- Name: river_job_prioritized_fetching_index; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX river_job_prioritized_fetching_index ON public.river_job USING btree (state, queue, priority, scheduled_at, id);

--
-- Name: river_job_state_and_finalized_at_index; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX river_job_state_and_finalized_at_index ON public.river_job USING btree (state, finalized_at) WHERE (finalized_at IS NOT NULL);

--
-- Name: river_job_unique_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX river_job_unique_idx ON public.river_job USING btree (unique_key) WHERE ((unique_key IS NOT NULL) AND (unique_states IS NOT NULL) AND public.river_job_state_in_bitmask(unique_states, state));

--
-- Name: river_notification_created_at_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX river_notification_created_at_idx ON public.river_notification USING btree (created_at);

--
-- Name: river_notification_topic_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX river_notification_topic_id_idx ON public.river_notification USING btree (topic, id);

--
-- Name: sessions_expiry_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX sessions_expiry_idx ON public.sessions USING btree (expiry);

--
-- Name: webhook_deliveries_by_endpoint; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX webhook_deliveries_by_endpoint ON public.webhook_deliveries USING btree (tenant_id, endpoint_id, created_at DESC);

--
-- Name: webhook_endpoints_enabled; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX webhook_endpoints_enabled ON public.webhook_endpoints USING btree (tenant_id) WHERE (status = 'enabled'::text);

--
-- Name: webhook_messages_unblanked; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX webhook_messages_unblanked ON public.webhook_messages USING btree (tenant_id, created_at) WHERE ((payload IS NOT NULL) OR (snapshot IS NOT NULL) OR (facts <> '{}'::jsonb));

--
-- Name: widget_settings_origins_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX widget_settings_origins_idx ON public.widget_settings USING gin (allowed_origins);

--
-- Name: widget_tokens_expires_at_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX widget_tokens_expires_at_idx ON public.widget_tokens USING btree (tenant_id, expires_at);

--
-- Name: widget_tokens_token_hash_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX widget_tokens_token_hash_idx ON public.widget_tokens USING btree (token_hash);

--
-- Name: api_keys api_keys_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER api_keys_guard BEFORE UPDATE ON public.api_keys FOR EACH ROW EXECUTE FUNCTION public.api_keys_guard();

--
-- Name: audit_log audit_log_append_only; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.audit_log_erasable();

--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.forbid_change();

--
-- Name: campaign_day_rollups campaign_day_rollups_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_day_rollups_guard BEFORE INSERT OR UPDATE ON public.campaign_day_rollups FOR EACH ROW WHEN ((pg_trigger_depth() = 0)) EXECUTE FUNCTION public.rollups_guard();

--
-- Name: campaign_migrations campaign_migrations_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_migrations_guard BEFORE INSERT OR UPDATE ON public.campaign_migrations FOR EACH ROW EXECUTE FUNCTION public.campaign_migrations_guard();

--
-- Name: campaign_migrations campaign_migrations_queue; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_migrations_queue AFTER INSERT ON public.campaign_migrations FOR EACH ROW EXECUTE FUNCTION public.campaign_migrations_queue();

--
-- Name: campaign_reward_rollups campaign_reward_rollups_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_reward_rollups_guard BEFORE INSERT OR UPDATE ON public.campaign_reward_rollups FOR EACH ROW WHEN ((pg_trigger_depth() = 0)) EXECUTE FUNCTION public.rollups_guard();

--
-- Name: campaign_rollups campaign_rollups_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_rollups_guard BEFORE INSERT OR UPDATE ON public.campaign_rollups FOR EACH ROW WHEN ((pg_trigger_depth() = 0)) EXECUTE FUNCTION public.rollups_guard();

--
-- Name: campaign_version_milestones campaign_version_milestones_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_version_milestones_guard BEFORE INSERT OR DELETE OR UPDATE ON public.campaign_version_milestones FOR EACH ROW EXECUTE FUNCTION public.version_rows_guard();

--
-- Name: campaign_version_steps campaign_version_steps_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_version_steps_guard BEFORE INSERT OR DELETE OR UPDATE ON public.campaign_version_steps FOR EACH ROW EXECUTE FUNCTION public.version_rows_guard();

--
-- Name: campaign_versions campaign_versions_await_events; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_versions_await_events BEFORE UPDATE OF published_at ON public.campaign_versions FOR EACH ROW WHEN (((old.published_at IS NULL) AND (new.published_at IS NOT NULL))) EXECUTE FUNCTION public.campaign_versions_await_events();

--
-- Name: campaign_versions campaign_versions_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaign_versions_guard BEFORE INSERT OR DELETE OR UPDATE ON public.campaign_versions FOR EACH ROW EXECUTE FUNCTION public.campaign_versions_guard();

--
-- Name: campaigns campaigns_await_migration; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaigns_await_migration BEFORE UPDATE OF current_version, status ON public.campaigns FOR EACH ROW WHEN (((old.current_version IS DISTINCT FROM new.current_version) OR ((new.status = 'ended'::text) AND (old.status <> 'ended'::text)))) EXECUTE FUNCTION public.campaigns_await_migration();

--
-- Name: campaigns campaigns_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaigns_guard BEFORE UPDATE ON public.campaigns FOR EACH ROW EXECUTE FUNCTION public.campaigns_guard();

--
-- Name: campaigns campaigns_webhooks; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaigns_webhooks AFTER UPDATE OF current_version, status ON public.campaigns FOR EACH ROW WHEN (((old.current_version IS DISTINCT FROM new.current_version) OR (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION public.campaigns_webhooks();

--
-- Name: campaigns campaigns_within_plan; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER campaigns_within_plan BEFORE INSERT OR UPDATE OF status ON public.campaigns FOR EACH ROW WHEN ((new.status = 'active'::text)) EXECUTE FUNCTION public.campaigns_within_plan();

--
-- Name: events events_append_only; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER events_append_only BEFORE DELETE OR UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.events_erasable();

--
-- Name: events events_no_truncate; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON public.events FOR EACH STATEMENT EXECUTE FUNCTION public.forbid_change();

--
-- Name: events events_record_names; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER events_record_names AFTER INSERT ON public.events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION public.events_record_names();

--
-- Name: host_completions host_completions_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER host_completions_guard BEFORE INSERT OR UPDATE ON public.host_completions FOR EACH ROW EXECUTE FUNCTION public.host_completions_guard();

--
-- Name: invitations invitations_after_claim_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_after_claim_insert AFTER INSERT ON public.invitations FOR EACH ROW WHEN ((new.guest_id IS NOT NULL)) EXECUTE FUNCTION public.invitations_after_claim();

--
-- Name: invitations invitations_after_claim_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_after_claim_update AFTER UPDATE OF guest_id ON public.invitations FOR EACH ROW WHEN (((old.guest_id IS NULL) AND (new.guest_id IS NOT NULL))) EXECUTE FUNCTION public.invitations_after_claim();

--
-- Name: invitations invitations_before_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_before_insert BEFORE INSERT ON public.invitations FOR EACH ROW EXECUTE FUNCTION public.invitations_before_insert();

--
-- Name: invitations invitations_before_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_before_update BEFORE UPDATE ON public.invitations FOR EACH ROW EXECUTE FUNCTION public.invitations_before_update();

--
-- Name: invitations invitations_completed; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_completed AFTER UPDATE ON public.invitations REFERENCING OLD TABLE AS old_invitations NEW TABLE AS new_invitations FOR EACH STATEMENT EXECUTE FUNCTION public.invitations_completed();

--
-- Name: invitations invitations_erased_host_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_erased_host_guard BEFORE INSERT ON public.invitations FOR EACH ROW WHEN ((new.recipient <> ''::text)) EXECUTE FUNCTION public.erased_participant_guard('host_id');

--
-- Name: invitations invitations_recipient_erasable; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_recipient_erasable BEFORE UPDATE OF recipient ON public.invitations FOR EACH ROW WHEN ((old.recipient IS DISTINCT FROM new.recipient)) EXECUTE FUNCTION public.invitations_recipient_erasable();

--
-- Name: invitations invitations_risk_guard_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_risk_guard_insert BEFORE INSERT ON public.invitations FOR EACH ROW WHEN (((new.risk_level = 'high'::text) AND (new.guest_id IS NOT NULL))) EXECUTE FUNCTION public.invitations_risk_guard();

--
-- Name: invitations invitations_risk_guard_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_risk_guard_update BEFORE UPDATE ON public.invitations FOR EACH ROW WHEN (((old.risk_level IS DISTINCT FROM new.risk_level) OR ((new.risk_level = 'high'::text) AND (old.guest_id IS NULL) AND (new.guest_id IS NOT NULL)))) EXECUTE FUNCTION public.invitations_risk_guard();

--
-- Name: invitations invitations_rollup_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_rollup_insert AFTER INSERT ON public.invitations REFERENCING NEW TABLE AS new_invitations FOR EACH STATEMENT EXECUTE FUNCTION public.invitations_rollup();

--
-- Name: invitations invitations_rollup_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_rollup_update AFTER UPDATE ON public.invitations REFERENCING OLD TABLE AS old_invitations NEW TABLE AS new_invitations FOR EACH STATEMENT EXECUTE FUNCTION public.invitations_rollup();

--
-- Name: invitations invitations_signal_codes_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_signal_codes_insert AFTER INSERT ON public.invitations FOR EACH ROW WHEN ((new.risk_signals IS NOT NULL)) EXECUTE FUNCTION public.invitations_signal_codes();

--
-- Name: invitations invitations_signal_codes_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_signal_codes_update AFTER UPDATE OF risk_signals ON public.invitations FOR EACH ROW WHEN ((old.risk_signals IS DISTINCT FROM new.risk_signals)) EXECUTE FUNCTION public.invitations_signal_codes();

--
-- Name: invitations invitations_webhooks_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_webhooks_insert AFTER INSERT ON public.invitations FOR EACH ROW EXECUTE FUNCTION public.invitations_webhooks();

--
-- Name: invitations invitations_webhooks_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invitations_webhooks_update AFTER UPDATE ON public.invitations FOR EACH ROW WHEN (((old.guest_id IS DISTINCT FROM new.guest_id) OR (old.progress IS DISTINCT FROM new.progress) OR (old.completed_at IS DISTINCT FROM new.completed_at) OR (old.expired_at IS DISTINCT FROM new.expired_at))) EXECUTE FUNCTION public.invitations_webhooks();

--
-- Name: invite_codes invite_codes_append_only; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER invite_codes_append_only BEFORE DELETE OR UPDATE ON public.invite_codes FOR EACH ROW EXECUTE FUNCTION public.forbid_change();

--
-- Name: member_invitations member_invitations_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER member_invitations_guard BEFORE UPDATE ON public.member_invitations FOR EACH ROW EXECUTE FUNCTION public.member_invitations_guard();

--
-- Name: members members_forget_inviter; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER members_forget_inviter BEFORE DELETE ON public.members FOR EACH ROW EXECUTE FUNCTION public.members_forget_inviter();

--
-- Name: members members_keep_an_owner; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER members_keep_an_owner BEFORE DELETE OR UPDATE ON public.members FOR EACH ROW EXECUTE FUNCTION public.members_keep_an_owner();

--
-- Name: members members_within_plan; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER members_within_plan BEFORE INSERT ON public.members FOR EACH ROW EXECUTE FUNCTION public.members_within_plan();

--
-- Name: participant_clients participant_clients_erased_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER participant_clients_erased_guard BEFORE INSERT OR UPDATE ON public.participant_clients FOR EACH ROW EXECUTE FUNCTION public.erased_participant_guard('participant_id');

--
-- Name: participant_event_names participant_event_names_append_only; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER participant_event_names_append_only BEFORE DELETE OR UPDATE ON public.participant_event_names FOR EACH ROW EXECUTE FUNCTION public.forbid_change();

--
-- Name: participant_event_names participant_event_names_no_truncate; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER participant_event_names_no_truncate BEFORE TRUNCATE ON public.participant_event_names FOR EACH STATEMENT EXECUTE FUNCTION public.forbid_change();

--
-- Name: participants participants_webhooks_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER participants_webhooks_insert AFTER INSERT ON public.participants REFERENCING NEW TABLE AS new_participants FOR EACH STATEMENT EXECUTE FUNCTION public.participants_webhooks();

--
-- Name: participants participants_webhooks_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER participants_webhooks_update AFTER UPDATE ON public.participants FOR EACH ROW WHEN ((((old.email IS DISTINCT FROM new.email) OR (old.phone IS DISTINCT FROM new.phone) OR (old.display_name IS DISTINCT FROM new.display_name) OR (old.stripe_customer_id IS DISTINCT FROM new.stripe_customer_id)) AND (new.erased_at IS NULL))) EXECUTE FUNCTION public.participants_webhooks();

--
-- Name: participants participants_within_plan; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER participants_within_plan AFTER INSERT ON public.participants REFERENCING NEW TABLE AS new_participants FOR EACH STATEMENT EXECUTE FUNCTION public.participants_within_plan();

--
-- Name: raffle_draws raffle_draws_append_only; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER raffle_draws_append_only BEFORE DELETE OR UPDATE ON public.raffle_draws FOR EACH ROW EXECUTE FUNCTION public.forbid_change();

--
-- Name: raffle_draws raffle_draws_webhooks; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER raffle_draws_webhooks AFTER INSERT ON public.raffle_draws FOR EACH ROW EXECUTE FUNCTION public.raffle_draws_webhooks();

--
-- Name: raffle_entries raffle_entries_append_only; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER raffle_entries_append_only BEFORE DELETE OR UPDATE ON public.raffle_entries FOR EACH ROW EXECUTE FUNCTION public.forbid_change();

--
-- Name: raffle_winners raffle_winners_append_only; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER raffle_winners_append_only BEFORE DELETE OR UPDATE ON public.raffle_winners FOR EACH ROW EXECUTE FUNCTION public.forbid_change();

--
-- Name: raffle_winners raffle_winners_within_draw; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER raffle_winners_within_draw BEFORE INSERT ON public.raffle_winners FOR EACH ROW EXECUTE FUNCTION public.raffle_winners_within_draw();

--
-- Name: reward_fulfilments reward_fulfilments_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_fulfilments_guard BEFORE INSERT OR UPDATE ON public.reward_fulfilments FOR EACH ROW EXECUTE FUNCTION public.reward_fulfilments_guard();

--
-- Name: reward_fulfilments reward_fulfilments_webhooks; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_fulfilments_webhooks AFTER UPDATE OF status ON public.reward_fulfilments FOR EACH ROW WHEN (((old.status IS DISTINCT FROM new.status) AND (new.status = ANY (ARRAY['fulfilled'::text, 'failed'::text])))) EXECUTE FUNCTION public.reward_fulfilments_webhooks();

--
-- Name: reward_tokens reward_tokens_cancel_fulfilment; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_cancel_fulfilment AFTER UPDATE OF status ON public.reward_tokens FOR EACH ROW WHEN (((old.status = 'issued'::text) AND (new.status <> 'issued'::text) AND (new.kind = ANY (ARRAY['stripe_coupon'::text, 'stripe_balance'::text])))) EXECUTE FUNCTION public.reward_tokens_cancel_fulfilment();

--
-- Name: reward_tokens reward_tokens_expiry_fixed; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_expiry_fixed BEFORE UPDATE ON public.reward_tokens FOR EACH ROW WHEN ((new.expires_at IS DISTINCT FROM old.expires_at)) EXECUTE FUNCTION public.reward_tokens_expiry_fixed();

--
-- Name: reward_tokens reward_tokens_fulfil; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_fulfil AFTER INSERT ON public.reward_tokens FOR EACH ROW WHEN (((new.status = 'issued'::text) AND (new.kind = ANY (ARRAY['stripe_coupon'::text, 'stripe_balance'::text])))) EXECUTE FUNCTION public.reward_tokens_fulfil();

--
-- Name: reward_tokens reward_tokens_fulfil_approved; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_fulfil_approved AFTER UPDATE OF status ON public.reward_tokens FOR EACH ROW WHEN (((old.status = 'held'::text) AND (new.status = 'issued'::text) AND (new.kind = ANY (ARRAY['stripe_coupon'::text, 'stripe_balance'::text])))) EXECUTE FUNCTION public.reward_tokens_fulfil();

--
-- Name: reward_tokens reward_tokens_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_guard BEFORE DELETE OR UPDATE ON public.reward_tokens FOR EACH ROW EXECUTE FUNCTION public.reward_tokens_guard();

--
-- Name: reward_tokens reward_tokens_issue_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_issue_guard BEFORE INSERT ON public.reward_tokens FOR EACH ROW EXECUTE FUNCTION public.reward_tokens_issue_guard();

--
-- Name: reward_tokens reward_tokens_no_truncate; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_no_truncate BEFORE TRUNCATE ON public.reward_tokens FOR EACH STATEMENT EXECUTE FUNCTION public.forbid_change();

--
-- Name: reward_tokens reward_tokens_rollup_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_rollup_insert AFTER INSERT ON public.reward_tokens REFERENCING NEW TABLE AS new_reward_tokens FOR EACH STATEMENT EXECUTE FUNCTION public.reward_tokens_rollup();

--
-- Name: reward_tokens reward_tokens_rollup_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_rollup_update AFTER UPDATE ON public.reward_tokens REFERENCING OLD TABLE AS old_reward_tokens NEW TABLE AS new_reward_tokens FOR EACH STATEMENT EXECUTE FUNCTION public.reward_tokens_rollup();

--
-- Name: reward_tokens reward_tokens_webhooks_insert; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_webhooks_insert AFTER INSERT ON public.reward_tokens REFERENCING NEW TABLE AS new_reward_tokens FOR EACH STATEMENT EXECUTE FUNCTION public.reward_tokens_webhooks();

--
-- Name: reward_tokens reward_tokens_webhooks_update; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER reward_tokens_webhooks_update AFTER UPDATE ON public.reward_tokens REFERENCING OLD TABLE AS old_reward_tokens NEW TABLE AS new_reward_tokens FOR EACH STATEMENT EXECUTE FUNCTION public.reward_tokens_webhooks();

--
-- Name: rollup_deltas rollup_deltas_apply; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE CONSTRAINT TRIGGER rollup_deltas_apply AFTER INSERT ON public.rollup_deltas DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.rollup_deltas_apply();

--
-- Name: rollup_deltas rollup_deltas_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER rollup_deltas_guard BEFORE INSERT OR UPDATE ON public.rollup_deltas FOR EACH ROW WHEN ((pg_trigger_depth() = 0)) EXECUTE FUNCTION public.rollups_guard();

--
-- Name: tenants tenants_start_free; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER tenants_start_free BEFORE INSERT ON public.tenants FOR EACH ROW EXECUTE FUNCTION public.tenants_start_free();

--
-- Name: webhook_endpoints webhook_endpoints_within_plan; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER webhook_endpoints_within_plan BEFORE INSERT ON public.webhook_endpoints FOR EACH ROW EXECUTE FUNCTION public.webhook_endpoints_within_plan();

--
-- Name: webhook_messages webhook_messages_guard; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER webhook_messages_guard BEFORE UPDATE ON public.webhook_messages FOR EACH ROW EXECUTE FUNCTION public.webhook_messages_guard();

--
-- Name: widget_tokens widget_tokens_minted_by_live_secret; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER widget_tokens_minted_by_live_secret BEFORE INSERT ON public.widget_tokens FOR EACH ROW EXECUTE FUNCTION public.widget_tokens_minted_by_live_secret();

--
-- Name: api_idempotency api_idempotency_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_idempotency
    ADD CONSTRAINT api_idempotency_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: api_keys api_keys_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: api_rate_limits api_rate_limits_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_rate_limits
    ADD CONSTRAINT api_rate_limits_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: audit_log audit_log_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: campaign_day_rollups campaign_day_rollups_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_day_rollups
    ADD CONSTRAINT campaign_day_rollups_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: campaign_migrations campaign_migrations_tenant_id_campaign_id_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_migrations
    ADD CONSTRAINT campaign_migrations_tenant_id_campaign_id_version_fkey FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES public.campaign_versions(tenant_id, campaign_id, version);

--
-- Name: campaign_reward_rollups campaign_reward_rollups_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_reward_rollups
    ADD CONSTRAINT campaign_reward_rollups_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: campaign_rollups campaign_rollups_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_rollups
    ADD CONSTRAINT campaign_rollups_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: campaign_version_milestones campaign_version_milestones_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_version_milestones
    ADD CONSTRAINT campaign_version_milestones_version_fkey FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES public.campaign_versions(tenant_id, campaign_id, version) ON DELETE CASCADE;

--
-- Name: campaign_version_steps campaign_version_steps_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_version_steps
    ADD CONSTRAINT campaign_version_steps_version_fkey FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES public.campaign_versions(tenant_id, campaign_id, version) ON DELETE CASCADE;

--
-- Name: campaign_versions campaign_versions_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_versions
    ADD CONSTRAINT campaign_versions_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: campaigns campaigns_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: campaigns campaigns_tenant_id_id_current_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT campaigns_tenant_id_id_current_version_fkey FOREIGN KEY (tenant_id, id, current_version) REFERENCES public.campaign_versions(tenant_id, campaign_id, version);

--
-- Name: participant_event_names event_defined; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participant_event_names
    ADD CONSTRAINT event_defined FOREIGN KEY (tenant_id, name) REFERENCES public.event_definitions(tenant_id, name);

--
-- Name: event_definitions event_definitions_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.event_definitions
    ADD CONSTRAINT event_definitions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: participant_event_names events_tenant_id_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participant_event_names
    ADD CONSTRAINT events_tenant_id_participant_id_fkey FOREIGN KEY (tenant_id, participant_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: host_completions host_completions_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.host_completions
    ADD CONSTRAINT host_completions_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: host_completions host_completions_tenant_id_host_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.host_completions
    ADD CONSTRAINT host_completions_tenant_id_host_id_fkey FOREIGN KEY (tenant_id, host_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: invitations invitation_campaign_mode; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitation_campaign_mode FOREIGN KEY (tenant_id, campaign_id, kind) REFERENCES public.campaigns(tenant_id, id, mode);

--
-- Name: invitation_signals invitation_signals_tenant_id_invitation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitation_signals
    ADD CONSTRAINT invitation_signals_tenant_id_invitation_id_fkey FOREIGN KEY (tenant_id, invitation_id) REFERENCES public.invitations(tenant_id, id) ON DELETE CASCADE;

--
-- Name: invitations invitations_referrer_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_referrer_code_fkey FOREIGN KEY (tenant_id, campaign_id, host_id, referrer_code) REFERENCES public.referrer_codes(tenant_id, campaign_id, host_id, code);

--
-- Name: invitations invitations_tenant_id_campaign_id_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_tenant_id_campaign_id_version_fkey FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES public.campaign_versions(tenant_id, campaign_id, version);

--
-- Name: invitations invitations_tenant_id_code_kind_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_tenant_id_code_kind_fkey FOREIGN KEY (tenant_id, code, kind) REFERENCES public.invite_codes(tenant_id, code, kind);

--
-- Name: invitations invitations_tenant_id_guest_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_tenant_id_guest_id_fkey FOREIGN KEY (tenant_id, guest_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: invitations invitations_tenant_id_host_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invitations
    ADD CONSTRAINT invitations_tenant_id_host_id_fkey FOREIGN KEY (tenant_id, host_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: invite_codes invite_codes_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.invite_codes
    ADD CONSTRAINT invite_codes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: job_outbox job_outbox_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.job_outbox
    ADD CONSTRAINT job_outbox_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: member_invitations member_invitations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.member_invitations
    ADD CONSTRAINT member_invitations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: member_invitations member_invitations_tenant_id_invited_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.member_invitations
    ADD CONSTRAINT member_invitations_tenant_id_invited_by_fkey FOREIGN KEY (tenant_id, invited_by) REFERENCES public.members(tenant_id, id);

--
-- Name: members members_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.members
    ADD CONSTRAINT members_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: participant_clients participant_clients_tenant_id_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participant_clients
    ADD CONSTRAINT participant_clients_tenant_id_participant_id_fkey FOREIGN KEY (tenant_id, participant_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: participants participants_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.participants
    ADD CONSTRAINT participants_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: campaign_version_steps quest_step_event_defined; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.campaign_version_steps
    ADD CONSTRAINT quest_step_event_defined FOREIGN KEY (tenant_id, event_name) REFERENCES public.event_definitions(tenant_id, name);

--
-- Name: raffle_draws raffle_draws_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_draws
    ADD CONSTRAINT raffle_draws_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: raffle_entries raffle_entries_tenant_id_draw_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_entries
    ADD CONSTRAINT raffle_entries_tenant_id_draw_id_fkey FOREIGN KEY (tenant_id, draw_id) REFERENCES public.raffle_draws(tenant_id, id);

--
-- Name: raffle_entries raffle_entries_tenant_id_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_entries
    ADD CONSTRAINT raffle_entries_tenant_id_participant_id_fkey FOREIGN KEY (tenant_id, participant_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: raffle_winners raffle_winners_tenant_id_draw_id_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.raffle_winners
    ADD CONSTRAINT raffle_winners_tenant_id_draw_id_participant_id_fkey FOREIGN KEY (tenant_id, draw_id, participant_id) REFERENCES public.raffle_entries(tenant_id, draw_id, participant_id);

--
-- Name: referrer_codes referrer_code_campaign_mode; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.referrer_codes
    ADD CONSTRAINT referrer_code_campaign_mode FOREIGN KEY (tenant_id, campaign_id, kind) REFERENCES public.campaigns(tenant_id, id, mode);

--
-- Name: referrer_codes referrer_codes_tenant_id_code_kind_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.referrer_codes
    ADD CONSTRAINT referrer_codes_tenant_id_code_kind_fkey FOREIGN KEY (tenant_id, code, kind) REFERENCES public.invite_codes(tenant_id, code, kind);

--
-- Name: referrer_codes referrer_codes_tenant_id_host_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.referrer_codes
    ADD CONSTRAINT referrer_codes_tenant_id_host_id_fkey FOREIGN KEY (tenant_id, host_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: retention_settings retention_settings_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.retention_settings
    ADD CONSTRAINT retention_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: reward_fulfilments reward_fulfilments_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_fulfilments
    ADD CONSTRAINT reward_fulfilments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: reward_fulfilments reward_fulfilments_tenant_id_reward_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_fulfilments
    ADD CONSTRAINT reward_fulfilments_tenant_id_reward_id_fkey FOREIGN KEY (tenant_id, reward_id) REFERENCES public.reward_tokens(tenant_id, id);

--
-- Name: reward_tokens reward_raffle_same_campaign; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_tokens
    ADD CONSTRAINT reward_raffle_same_campaign FOREIGN KEY (tenant_id, raffle_draw_id, campaign_id) REFERENCES public.raffle_draws(tenant_id, id, campaign_id);

--
-- Name: reward_tokens reward_tokens_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_tokens
    ADD CONSTRAINT reward_tokens_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: reward_tokens reward_tokens_tenant_id_invitation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_tokens
    ADD CONSTRAINT reward_tokens_tenant_id_invitation_id_fkey FOREIGN KEY (tenant_id, invitation_id) REFERENCES public.invitations(tenant_id, id);

--
-- Name: reward_tokens reward_tokens_tenant_id_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reward_tokens
    ADD CONSTRAINT reward_tokens_tenant_id_participant_id_fkey FOREIGN KEY (tenant_id, participant_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: stripe_connections stripe_connections_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.stripe_connections
    ADD CONSTRAINT stripe_connections_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: stripe_events stripe_events_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.stripe_events
    ADD CONSTRAINT stripe_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: tenant_branding tenant_branding_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenant_branding
    ADD CONSTRAINT tenant_branding_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: tenant_texts tenant_texts_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenant_texts
    ADD CONSTRAINT tenant_texts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: tenant_translations tenant_translations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenant_translations
    ADD CONSTRAINT tenant_translations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: tenants tenants_plan_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tenants
    ADD CONSTRAINT tenants_plan_fkey FOREIGN KEY (plan) REFERENCES public.plans(id);

--
-- Name: webhook_attempts webhook_attempts_tenant_id_delivery_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_attempts
    ADD CONSTRAINT webhook_attempts_tenant_id_delivery_id_fkey FOREIGN KEY (tenant_id, delivery_id) REFERENCES public.webhook_deliveries(tenant_id, id) ON DELETE CASCADE;

--
-- Name: webhook_attempts webhook_attempts_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_attempts
    ADD CONSTRAINT webhook_attempts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: webhook_deliveries webhook_deliveries_tenant_id_endpoint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_tenant_id_endpoint_id_fkey FOREIGN KEY (tenant_id, endpoint_id) REFERENCES public.webhook_endpoints(tenant_id, id) ON DELETE CASCADE;

--
-- Name: webhook_deliveries webhook_deliveries_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: webhook_deliveries webhook_deliveries_tenant_id_message_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_tenant_id_message_id_fkey FOREIGN KEY (tenant_id, message_id) REFERENCES public.webhook_messages(tenant_id, id);

--
-- Name: webhook_endpoints webhook_endpoints_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: webhook_messages webhook_messages_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.webhook_messages
    ADD CONSTRAINT webhook_messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: widget_settings widget_settings_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_settings
    ADD CONSTRAINT widget_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: widget_tokens widget_tokens_tenant_id_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_tokens
    ADD CONSTRAINT widget_tokens_tenant_id_campaign_id_fkey FOREIGN KEY (tenant_id, campaign_id) REFERENCES public.campaigns(tenant_id, id);

--
-- Name: widget_tokens widget_tokens_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_tokens
    ADD CONSTRAINT widget_tokens_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);

--
-- Name: widget_tokens widget_tokens_tenant_id_key_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_tokens
    ADD CONSTRAINT widget_tokens_tenant_id_key_id_fkey FOREIGN KEY (tenant_id, key_id) REFERENCES public.api_keys(tenant_id, id);

--
-- Name: widget_tokens widget_tokens_tenant_id_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.widget_tokens
    ADD CONSTRAINT widget_tokens_tenant_id_participant_id_fkey FOREIGN KEY (tenant_id, participant_id) REFERENCES public.participants(tenant_id, id);

--
-- Name: api_idempotency; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.api_idempotency ENABLE ROW LEVEL SECURITY;

--
-- Name: api_keys; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.api_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: api_rate_limits; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.api_rate_limits ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: campaign_day_rollups; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaign_day_rollups ENABLE ROW LEVEL SECURITY;

--
-- Name: campaign_migrations; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaign_migrations ENABLE ROW LEVEL SECURITY;

--
-- Name: campaign_reward_rollups; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaign_reward_rollups ENABLE ROW LEVEL SECURITY;

--
-- Name: campaign_rollups; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaign_rollups ENABLE ROW LEVEL SECURITY;

--
-- Name: campaign_version_milestones; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaign_version_milestones ENABLE ROW LEVEL SECURITY;

--
-- Name: campaign_version_steps; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaign_version_steps ENABLE ROW LEVEL SECURITY;

--
-- Name: campaign_versions; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaign_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: campaigns; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.campaigns ENABLE ROW LEVEL SECURITY;

--
-- Name: invitations definer_finds_due_invitations; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_finds_due_invitations ON public.invitations FOR SELECT TO tandem_definer USING (((guest_id IS NULL) AND (expired_at IS NULL)));

--
-- Name: reward_tokens definer_finds_due_rewards; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_finds_due_rewards ON public.reward_tokens FOR SELECT TO tandem_definer USING (((status = 'issued'::text) AND (expires_at IS NOT NULL)));

--
-- Name: api_keys definer_lookup; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_lookup ON public.api_keys FOR SELECT TO tandem_definer USING (true);

--
-- Name: invite_codes definer_lookup; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_lookup ON public.invite_codes FOR SELECT TO tandem_definer USING (true);

--
-- Name: member_invitations definer_lookup; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_lookup ON public.member_invitations FOR SELECT TO tandem_definer USING (true);

--
-- Name: members definer_lookup; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_lookup ON public.members FOR SELECT TO tandem_definer USING (true);

--
-- Name: tenants definer_lookup; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_lookup ON public.tenants FOR SELECT TO tandem_definer USING (true);

--
-- Name: widget_settings definer_lookup; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_lookup ON public.widget_settings FOR SELECT TO tandem_definer USING (true);

--
-- Name: widget_tokens definer_lookup; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY definer_lookup ON public.widget_tokens FOR SELECT TO tandem_definer USING (true);

--
-- Name: event_definitions; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.event_definitions ENABLE ROW LEVEL SECURITY;

--
-- Name: events; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;

--
-- Name: fraud_blocklist; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.fraud_blocklist ENABLE ROW LEVEL SECURITY;

--
-- Name: fraud_keys; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.fraud_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: host_completions; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.host_completions ENABLE ROW LEVEL SECURITY;

--
-- Name: invitation_signals; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.invitation_signals ENABLE ROW LEVEL SECURITY;

--
-- Name: invitations; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.invitations ENABLE ROW LEVEL SECURITY;

--
-- Name: invite_codes; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.invite_codes ENABLE ROW LEVEL SECURITY;

--
-- Name: job_outbox; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.job_outbox ENABLE ROW LEVEL SECURITY;

--
-- Name: job_outbox job_outbox_moved_outside_tenants; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY job_outbox_moved_outside_tenants ON public.job_outbox TO tandem_jobs USING ((NULLIF(current_setting('app.tenant_id'::text, true), ''::text) IS NULL)) WITH CHECK ((NULLIF(current_setting('app.tenant_id'::text, true), ''::text) IS NULL));

--
-- Name: job_outbox job_outbox_purged_with_tenant; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY job_outbox_purged_with_tenant ON public.job_outbox TO tandem_purger USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK (false);

--
-- Name: job_outbox job_outbox_queued_by_tenant; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY job_outbox_queued_by_tenant ON public.job_outbox FOR INSERT TO tandem_referee WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: member_invitations; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.member_invitations ENABLE ROW LEVEL SECURITY;

--
-- Name: members; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.members ENABLE ROW LEVEL SECURITY;

--
-- Name: participant_clients; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.participant_clients ENABLE ROW LEVEL SECURITY;

--
-- Name: participant_event_names; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.participant_event_names ENABLE ROW LEVEL SECURITY;

--
-- Name: participants; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.participants ENABLE ROW LEVEL SECURITY;

--
-- Name: raffle_draws; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.raffle_draws ENABLE ROW LEVEL SECURITY;

--
-- Name: raffle_entries; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.raffle_entries ENABLE ROW LEVEL SECURITY;

--
-- Name: raffle_winners; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.raffle_winners ENABLE ROW LEVEL SECURITY;

--
-- Name: referrer_codes; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.referrer_codes ENABLE ROW LEVEL SECURITY;

--
-- Name: retention_settings; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.retention_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: reward_fulfilments; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.reward_fulfilments ENABLE ROW LEVEL SECURITY;

--
-- Name: reward_tokens; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.reward_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: river_job; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.river_job ENABLE ROW LEVEL SECURITY;

--
-- Name: river_job river_job_purged_with_tenant; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY river_job_purged_with_tenant ON public.river_job TO tandem_purger USING (((args ->> 'tenant_id'::text) = (public.app_tenant_id())::text)) WITH CHECK (false);

--
-- Name: river_job river_job_queued_by_tenant; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY river_job_queued_by_tenant ON public.river_job FOR INSERT TO tandem_referee WITH CHECK (((args ->> 'tenant_id'::text) = (public.app_tenant_id())::text));

--
-- Name: river_leader; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.river_leader ENABLE ROW LEVEL SECURITY;

--
-- Name: river_migration; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.river_migration ENABLE ROW LEVEL SECURITY;

--
-- Name: river_notification; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.river_notification ENABLE ROW LEVEL SECURITY;

--
-- Name: river_job river_outside_tenants; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY river_outside_tenants ON public.river_job TO tandem_jobs USING ((public.app_tenant_id() IS NULL)) WITH CHECK ((public.app_tenant_id() IS NULL));

--
-- Name: river_leader river_outside_tenants; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY river_outside_tenants ON public.river_leader TO tandem_jobs USING ((public.app_tenant_id() IS NULL)) WITH CHECK ((public.app_tenant_id() IS NULL));

--
-- Name: river_migration river_outside_tenants; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY river_outside_tenants ON public.river_migration TO tandem_jobs USING ((public.app_tenant_id() IS NULL)) WITH CHECK ((public.app_tenant_id() IS NULL));

--
-- Name: river_notification river_outside_tenants; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY river_outside_tenants ON public.river_notification TO tandem_jobs USING ((public.app_tenant_id() IS NULL)) WITH CHECK ((public.app_tenant_id() IS NULL));

--
-- Name: river_queue river_outside_tenants; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY river_outside_tenants ON public.river_queue TO tandem_jobs USING ((public.app_tenant_id() IS NULL)) WITH CHECK ((public.app_tenant_id() IS NULL));

--
-- Name: river_queue; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.river_queue ENABLE ROW LEVEL SECURITY;

--
-- Name: rollup_deltas; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.rollup_deltas ENABLE ROW LEVEL SECURITY;

--
-- Name: stripe_connections; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.stripe_connections ENABLE ROW LEVEL SECURITY;

--
-- Name: stripe_events; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.stripe_events ENABLE ROW LEVEL SECURITY;

--
-- Name: tenant_branding; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.tenant_branding ENABLE ROW LEVEL SECURITY;

--
-- Name: api_idempotency tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.api_idempotency USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: api_keys tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.api_keys USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: api_rate_limits tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.api_rate_limits USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: audit_log tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.audit_log USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaign_day_rollups tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaign_day_rollups USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaign_migrations tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaign_migrations USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaign_reward_rollups tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaign_reward_rollups USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaign_rollups tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaign_rollups USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaign_version_milestones tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaign_version_milestones USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaign_version_steps tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaign_version_steps USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaign_versions tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaign_versions USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: campaigns tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.campaigns USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: event_definitions tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.event_definitions USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: events tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.events USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK (((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)) AND ((name <> 'invitation_claimed'::text) OR (CURRENT_USER <> 'tandem_app'::name))));

--
-- Name: fraud_blocklist tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.fraud_blocklist USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: fraud_keys tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.fraud_keys USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: host_completions tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.host_completions USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: invitation_signals tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.invitation_signals USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: invitations tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.invitations USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: invite_codes tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.invite_codes USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: member_invitations tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.member_invitations USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: members tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.members USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: participant_clients tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.participant_clients USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: participant_event_names tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.participant_event_names USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK (((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)) AND ((name <> 'invitation_claimed'::text) OR (CURRENT_USER <> 'tandem_app'::name))));

--
-- Name: participants tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.participants USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: raffle_draws tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.raffle_draws USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: raffle_entries tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.raffle_entries USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: raffle_winners tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.raffle_winners USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: referrer_codes tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.referrer_codes USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: retention_settings tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.retention_settings USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: reward_fulfilments tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.reward_fulfilments USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: reward_tokens tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.reward_tokens USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: rollup_deltas tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.rollup_deltas USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: stripe_connections tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.stripe_connections USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: stripe_events tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.stripe_events USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: tenant_branding tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.tenant_branding USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: tenant_texts tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.tenant_texts USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: tenant_translations tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.tenant_translations USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: tenants tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.tenants USING ((id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: webhook_attempts tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.webhook_attempts USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: webhook_deliveries tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.webhook_deliveries USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: webhook_endpoints tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.webhook_endpoints USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: webhook_messages tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.webhook_messages USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: widget_settings tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.widget_settings USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: widget_tokens tenant_isolation; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY tenant_isolation ON public.widget_tokens USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)));

--
-- Name: tenant_texts; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.tenant_texts ENABLE ROW LEVEL SECURITY;

--
-- Name: tenant_translations; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.tenant_translations ENABLE ROW LEVEL SECURITY;

--
-- Name: tenants; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.tenants ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_attempts; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.webhook_attempts ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_deliveries; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.webhook_deliveries ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_endpoints; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.webhook_endpoints ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_messages; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.webhook_messages ENABLE ROW LEVEL SECURITY;

--
-- Name: widget_settings; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.widget_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: widget_tokens; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.widget_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

GRANT USAGE ON SCHEMA public TO tandem_app;
GRANT USAGE ON SCHEMA public TO tandem_definer;
GRANT USAGE ON SCHEMA public TO tandem_eraser;
GRANT USAGE ON SCHEMA public TO tandem_jobs;
GRANT USAGE ON SCHEMA public TO tandem_purger;
GRANT USAGE ON SCHEMA public TO tandem_referee;

--
-- Name: FUNCTION apply_stripe_event(p_event_id text, p_type text, p_created timestamp with time zone, p_customer text, p_subscription text, p_status text, p_plan text); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.apply_stripe_event(p_event_id text, p_type text, p_created timestamp with time zone, p_customer text, p_subscription text, p_status text, p_plan text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.apply_stripe_event(p_event_id text, p_type text, p_created timestamp with time zone, p_customer text, p_subscription text, p_status text, p_plan text) TO tandem_app;

--
-- Name: FUNCTION campaign_migrations_guard(); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.campaign_migrations_guard() FROM PUBLIC;

--
-- Name: FUNCTION campaign_migrations_queue(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.campaign_migrations_queue() FROM PUBLIC;

--
-- Name: FUNCTION campaigns_await_migration(); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.campaigns_await_migration() FROM PUBLIC;

--
-- Name: FUNCTION cancel_tenant_deletion(p_tenant_id uuid); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.cancel_tenant_deletion(p_tenant_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.cancel_tenant_deletion(p_tenant_id uuid) TO tandem_app;

--
-- Name: FUNCTION erase_event_properties(p_tenant_id uuid, p_before timestamp with time zone, p_limit integer); Type: ACL; Schema: public; Owner: tandem_eraser
--

REVOKE ALL ON FUNCTION public.erase_event_properties(p_tenant_id uuid, p_before timestamp with time zone, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.erase_event_properties(p_tenant_id uuid, p_before timestamp with time zone, p_limit integer) TO tandem_referee;

--
-- Name: FUNCTION erase_participant(p_tenant_id uuid, p_participant_id text); Type: ACL; Schema: public; Owner: tandem_eraser
--

REVOKE ALL ON FUNCTION public.erase_participant(p_tenant_id uuid, p_participant_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.erase_participant(p_tenant_id uuid, p_participant_id text) TO tandem_app;

--
-- Name: FUNCTION find_api_key(p_lookup text); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.find_api_key(p_lookup text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.find_api_key(p_lookup text) TO tandem_app;

--
-- Name: FUNCTION find_invite_code_tenant(p_code text); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.find_invite_code_tenant(p_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.find_invite_code_tenant(p_code text) TO tandem_app;

--
-- Name: FUNCTION find_member_invitation(p_token_hash bytea); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.find_member_invitation(p_token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION public.find_member_invitation(p_token_hash bytea) TO tandem_app;

--
-- Name: FUNCTION find_members_by_email(p_email text); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.find_members_by_email(p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.find_members_by_email(p_email text) TO tandem_app;

--
-- Name: FUNCTION find_tenant_by_slug(p_slug text); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.find_tenant_by_slug(p_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.find_tenant_by_slug(p_slug text) TO tandem_app;

--
-- Name: FUNCTION find_tenant_by_stripe_customer(p_customer text); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.find_tenant_by_stripe_customer(p_customer text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.find_tenant_by_stripe_customer(p_customer text) TO tandem_app;

--
-- Name: FUNCTION find_widget_token(p_token_hash bytea); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.find_widget_token(p_token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION public.find_widget_token(p_token_hash bytea) TO tandem_app;

--
-- Name: FUNCTION invitations_before_update(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.invitations_before_update() FROM PUBLIC;

--
-- Name: FUNCTION invitations_completed(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.invitations_completed() FROM PUBLIC;

--
-- Name: FUNCTION invitations_rollup(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.invitations_rollup() FROM PUBLIC;

--
-- Name: FUNCTION invitations_signal_codes(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.invitations_signal_codes() FROM PUBLIC;

--
-- Name: FUNCTION job_outbox_move(p_limit integer); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.job_outbox_move(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.job_outbox_move(p_limit integer) TO tandem_jobs;

--
-- Name: FUNCTION list_tenant_ids(); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.list_tenant_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION public.list_tenant_ids() TO tandem_app;

--
-- Name: FUNCTION members_forget_inviter(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.members_forget_inviter() FROM PUBLIC;

--
-- Name: FUNCTION migrate_inflight_batch(p_tenant_id uuid, p_campaign_id text, p_version integer, p_limit integer); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.migrate_inflight_batch(p_tenant_id uuid, p_campaign_id text, p_version integer, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.migrate_inflight_batch(p_tenant_id uuid, p_campaign_id text, p_version integer, p_limit integer) TO tandem_app;

--
-- Name: FUNCTION new_message_id(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.new_message_id() FROM PUBLIC;

--
-- Name: FUNCTION purge_tenant(p_tenant_id uuid, p_limit integer, p_resume boolean); Type: ACL; Schema: public; Owner: tandem_purger
--

REVOKE ALL ON FUNCTION public.purge_tenant(p_tenant_id uuid, p_limit integer, p_resume boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.purge_tenant(p_tenant_id uuid, p_limit integer, p_resume boolean) TO tandem_app;

--
-- Name: FUNCTION record_claim_event(p_invitation_id text); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.record_claim_event(p_invitation_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.record_claim_event(p_invitation_id text) TO tandem_app;

--
-- Name: FUNCTION register_code(p_kind text); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.register_code(p_kind text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.register_code(p_kind text) TO tandem_app;

--
-- Name: FUNCTION reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait double precision[], p_max_wait double precision[], p_count_refused boolean[], p_window double precision); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait double precision[], p_max_wait double precision[], p_count_refused boolean[], p_window double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION public.reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait double precision[], p_max_wait double precision[], p_count_refused boolean[], p_window double precision) TO tandem_app;

--
-- Name: FUNCTION retention_blank_event_properties(p_now timestamp with time zone, p_limit integer); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.retention_blank_event_properties(p_now timestamp with time zone, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_blank_event_properties(p_now timestamp with time zone, p_limit integer) TO tandem_app;

--
-- Name: FUNCTION retention_blank_webhook_messages(p_now timestamp with time zone, p_limit integer); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.retention_blank_webhook_messages(p_now timestamp with time zone, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_blank_webhook_messages(p_now timestamp with time zone, p_limit integer) TO tandem_app;

--
-- Name: FUNCTION retention_delete_idempotency(p_now timestamp with time zone, p_limit integer); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.retention_delete_idempotency(p_now timestamp with time zone, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_delete_idempotency(p_now timestamp with time zone, p_limit integer) TO tandem_app;

--
-- Name: FUNCTION retention_delete_widget_tokens(p_now timestamp with time zone, p_limit integer); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.retention_delete_widget_tokens(p_now timestamp with time zone, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_delete_widget_tokens(p_now timestamp with time zone, p_limit integer) TO tandem_app;

--
-- Name: FUNCTION retention_of(p_tenant uuid); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.retention_of(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.retention_of(p_tenant uuid) TO tandem_app;
GRANT ALL ON FUNCTION public.retention_of(p_tenant uuid) TO tandem_referee;

--
-- Name: FUNCTION reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) TO tandem_app;

--
-- Name: FUNCTION reward_tokens_fulfil(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.reward_tokens_fulfil() FROM PUBLIC;

--
-- Name: FUNCTION reward_tokens_rollup(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.reward_tokens_rollup() FROM PUBLIC;

--
-- Name: FUNCTION rollup_deltas_apply(); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.rollup_deltas_apply() FROM PUBLIC;

--
-- Name: FUNCTION schedule_tenant_deletion(p_tenant_id uuid, p_confirmation text); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.schedule_tenant_deletion(p_tenant_id uuid, p_confirmation text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.schedule_tenant_deletion(p_tenant_id uuid, p_confirmation text) TO tandem_app;

--
-- Name: FUNCTION schema_version(); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.schema_version() FROM PUBLIC;
GRANT ALL ON FUNCTION public.schema_version() TO tandem_app;

--
-- Name: FUNCTION tenants_due_for_deletion(p_now timestamp with time zone); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.tenants_due_for_deletion(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.tenants_due_for_deletion(p_now timestamp with time zone) TO tandem_app;

--
-- Name: FUNCTION tenants_with_due_invitations(p_now timestamp with time zone); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.tenants_with_due_invitations(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.tenants_with_due_invitations(p_now timestamp with time zone) TO tandem_app;

--
-- Name: FUNCTION tenants_with_due_rewards(p_now timestamp with time zone); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.tenants_with_due_rewards(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.tenants_with_due_rewards(p_now timestamp with time zone) TO tandem_app;

--
-- Name: FUNCTION webhook_queue(p_tenant_id uuid, p_delivery_ids text[]); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.webhook_queue(p_tenant_id uuid, p_delivery_ids text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.webhook_queue(p_tenant_id uuid, p_delivery_ids text[]) TO tandem_app;

--
-- Name: FUNCTION webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb) TO tandem_app;
GRANT ALL ON FUNCTION public.webhook_record(p_tenant_id uuid, p_type text, p_object_id text, p_facts jsonb) TO tandem_eraser;

--
-- Name: FUNCTION webhook_snapshot(p_tenant_id uuid, p_type text, p_object_id text); Type: ACL; Schema: public; Owner: tandem_referee
--

REVOKE ALL ON FUNCTION public.webhook_snapshot(p_tenant_id uuid, p_type text, p_object_id text) FROM PUBLIC;

--
-- Name: FUNCTION widget_origin_known(p_origin text); Type: ACL; Schema: public; Owner: tandem_definer
--

REVOKE ALL ON FUNCTION public.widget_origin_known(p_origin text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.widget_origin_known(p_origin text) TO tandem_app;

--
-- Name: TABLE api_idempotency; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.api_idempotency TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.api_idempotency TO tandem_purger;
GRANT SELECT,DELETE ON TABLE public.api_idempotency TO tandem_referee;
GRANT SELECT,INSERT ON TABLE public.api_idempotency TO tandem_app;

--
-- Name: COLUMN api_idempotency.response_status; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(response_status) ON TABLE public.api_idempotency TO tandem_app;

--
-- Name: COLUMN api_idempotency.response_body; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(response_body) ON TABLE public.api_idempotency TO tandem_app;

--
-- Name: TABLE api_keys; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.api_keys TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.api_keys TO tandem_app;

--
-- Name: COLUMN api_keys.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.api_keys TO tandem_definer;

--
-- Name: COLUMN api_keys.id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(id) ON TABLE public.api_keys TO tandem_definer;

--
-- Name: COLUMN api_keys.kind; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(kind) ON TABLE public.api_keys TO tandem_definer;

--
-- Name: COLUMN api_keys.lookup; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(lookup) ON TABLE public.api_keys TO tandem_definer;

--
-- Name: COLUMN api_keys.secret_hash; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(secret_hash) ON TABLE public.api_keys TO tandem_definer;

--
-- Name: COLUMN api_keys.name; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(name) ON TABLE public.api_keys TO tandem_app;

--
-- Name: COLUMN api_keys.allowed_origins; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(allowed_origins) ON TABLE public.api_keys TO tandem_definer;
GRANT UPDATE(allowed_origins) ON TABLE public.api_keys TO tandem_app;

--
-- Name: COLUMN api_keys.revoked_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(revoked_at) ON TABLE public.api_keys TO tandem_definer;
GRANT UPDATE(revoked_at) ON TABLE public.api_keys TO tandem_app;

--
-- Name: COLUMN api_keys.last_used_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(last_used_at) ON TABLE public.api_keys TO tandem_app;

--
-- Name: TABLE api_rate_limits; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.api_rate_limits TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.api_rate_limits TO tandem_app;

--
-- Name: TABLE audit_log; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.audit_log TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.audit_log TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.audit_log TO tandem_app;

--
-- Name: COLUMN audit_log.before; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(before) ON TABLE public.audit_log TO tandem_eraser;

--
-- Name: COLUMN audit_log.after; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(after) ON TABLE public.audit_log TO tandem_eraser;

--
-- Name: TABLE campaign_day_rollups; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaign_day_rollups TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.campaign_day_rollups TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.campaign_day_rollups TO tandem_referee;

--
-- Name: TABLE campaign_migrations; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaign_migrations TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.campaign_migrations TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.campaign_migrations TO tandem_app;

--
-- Name: COLUMN campaign_migrations.migrated; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(migrated) ON TABLE public.campaign_migrations TO tandem_app;

--
-- Name: COLUMN campaign_migrations.after_host; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(after_host) ON TABLE public.campaign_migrations TO tandem_app;

--
-- Name: COLUMN campaign_migrations.after_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(after_id) ON TABLE public.campaign_migrations TO tandem_app;

--
-- Name: COLUMN campaign_migrations.finished_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(finished_at) ON TABLE public.campaign_migrations TO tandem_app;

--
-- Name: TABLE campaign_reward_rollups; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaign_reward_rollups TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.campaign_reward_rollups TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.campaign_reward_rollups TO tandem_referee;

--
-- Name: TABLE campaign_rollups; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaign_rollups TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.campaign_rollups TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.campaign_rollups TO tandem_referee;

--
-- Name: TABLE campaign_version_milestones; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaign_version_milestones TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.campaign_version_milestones TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.campaign_version_milestones TO tandem_app;

--
-- Name: TABLE campaign_version_steps; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaign_version_steps TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.campaign_version_steps TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.campaign_version_steps TO tandem_app;

--
-- Name: TABLE campaign_versions; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaign_versions TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.campaign_versions TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.campaign_versions TO tandem_app;

--
-- Name: TABLE campaigns; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.campaigns TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.campaigns TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.campaigns TO tandem_app;

--
-- Name: TABLE disposable_email_domains; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.disposable_email_domains TO tandem_app;

--
-- Name: TABLE event_definitions; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.event_definitions TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.event_definitions TO tandem_app;

--
-- Name: COLUMN event_definitions.description; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(description) ON TABLE public.event_definitions TO tandem_app;

--
-- Name: COLUMN event_definitions.label; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(label) ON TABLE public.event_definitions TO tandem_app;

--
-- Name: TABLE events; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.events TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.events TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.events TO tandem_app;
GRANT SELECT,INSERT ON TABLE public.events TO tandem_referee;

--
-- Name: COLUMN events.idempotency_key; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(idempotency_key) ON TABLE public.events TO tandem_eraser;

--
-- Name: COLUMN events.properties; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(properties) ON TABLE public.events TO tandem_eraser;

--
-- Name: TABLE fraud_blocklist; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.fraud_blocklist TO tandem_purger;
GRANT SELECT,INSERT,DELETE ON TABLE public.fraud_blocklist TO tandem_app;

--
-- Name: TABLE fraud_keys; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.fraud_keys TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.fraud_keys TO tandem_app;

--
-- Name: COLUMN goose_db_version.version_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(version_id) ON TABLE public.goose_db_version TO tandem_definer;

--
-- Name: COLUMN goose_db_version.is_applied; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(is_applied) ON TABLE public.goose_db_version TO tandem_definer;

--
-- Name: TABLE host_completions; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.host_completions TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.host_completions TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.host_completions TO tandem_referee;

--
-- Name: TABLE invitation_signals; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.invitation_signals TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.invitation_signals TO tandem_purger;
GRANT SELECT,INSERT,DELETE ON TABLE public.invitation_signals TO tandem_referee;

--
-- Name: TABLE invitations; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.invitations TO tandem_eraser;
GRANT SELECT ON TABLE public.invitations TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.invitations TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.invitations TO tandem_app;

--
-- Name: COLUMN invitations.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.invitations TO tandem_definer;

--
-- Name: COLUMN invitations.recipient; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(recipient) ON TABLE public.invitations TO tandem_eraser;

--
-- Name: COLUMN invitations.expires_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(expires_at) ON TABLE public.invitations TO tandem_definer;

--
-- Name: COLUMN invitations.guest_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(guest_id) ON TABLE public.invitations TO tandem_definer;

--
-- Name: COLUMN invitations.expired_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(expired_at) ON TABLE public.invitations TO tandem_definer;

--
-- Name: COLUMN invitations.risk_signals; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(risk_signals) ON TABLE public.invitations TO tandem_eraser;

--
-- Name: TABLE invite_codes; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.invite_codes TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.invite_codes TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.invite_codes TO tandem_app;

--
-- Name: COLUMN invite_codes.code; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(code) ON TABLE public.invite_codes TO tandem_definer;

--
-- Name: COLUMN invite_codes.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.invite_codes TO tandem_definer;

--
-- Name: TABLE job_outbox; Type: ACL; Schema: public; Owner: postgres
--

GRANT INSERT ON TABLE public.job_outbox TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.job_outbox TO tandem_jobs;
GRANT SELECT,DELETE ON TABLE public.job_outbox TO tandem_purger;

--
-- Name: TABLE login_attempts; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.login_attempts TO tandem_app;

--
-- Name: TABLE login_known_addresses; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.login_known_addresses TO tandem_app;

--
-- Name: TABLE member_invitations; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.member_invitations TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.member_invitations TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.member_invitations TO tandem_app;

--
-- Name: COLUMN member_invitations.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.member_invitations TO tandem_definer;

--
-- Name: COLUMN member_invitations.id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(id) ON TABLE public.member_invitations TO tandem_definer;

--
-- Name: COLUMN member_invitations.token_hash; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(token_hash) ON TABLE public.member_invitations TO tandem_definer;

--
-- Name: COLUMN member_invitations.invited_by; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(invited_by) ON TABLE public.member_invitations TO tandem_referee;

--
-- Name: COLUMN member_invitations.accepted_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(accepted_at) ON TABLE public.member_invitations TO tandem_app;

--
-- Name: COLUMN member_invitations.revoked_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(revoked_at) ON TABLE public.member_invitations TO tandem_app;

--
-- Name: TABLE members; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.members TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.members TO tandem_app;

--
-- Name: COLUMN members.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.members TO tandem_definer;

--
-- Name: COLUMN members.id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(id) ON TABLE public.members TO tandem_definer;

--
-- Name: COLUMN members.email; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(email) ON TABLE public.members TO tandem_definer;

--
-- Name: COLUMN members.password_hash; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(password_hash) ON TABLE public.members TO tandem_definer;

--
-- Name: TABLE participant_clients; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.participant_clients TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.participant_clients TO tandem_purger;
GRANT SELECT,INSERT,DELETE ON TABLE public.participant_clients TO tandem_app;

--
-- Name: COLUMN participant_clients.seen_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(seen_at) ON TABLE public.participant_clients TO tandem_app;

--
-- Name: TABLE participant_event_names; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.participant_event_names TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.participant_event_names TO tandem_app;
GRANT SELECT,INSERT ON TABLE public.participant_event_names TO tandem_referee;

--
-- Name: TABLE participants; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.participants TO tandem_eraser;
GRANT SELECT ON TABLE public.participants TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.participants TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.participants TO tandem_app;

--
-- Name: COLUMN participants.external_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(external_id) ON TABLE public.participants TO tandem_eraser;

--
-- Name: COLUMN participants.email; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(email) ON TABLE public.participants TO tandem_app;
GRANT UPDATE(email) ON TABLE public.participants TO tandem_eraser;

--
-- Name: COLUMN participants.phone; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(phone) ON TABLE public.participants TO tandem_app;
GRANT UPDATE(phone) ON TABLE public.participants TO tandem_eraser;

--
-- Name: COLUMN participants.display_name; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(display_name) ON TABLE public.participants TO tandem_app;
GRANT UPDATE(display_name) ON TABLE public.participants TO tandem_eraser;

--
-- Name: COLUMN participants.updated_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(updated_at) ON TABLE public.participants TO tandem_app;
GRANT UPDATE(updated_at) ON TABLE public.participants TO tandem_eraser;

--
-- Name: COLUMN participants.stripe_customer_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(stripe_customer_id) ON TABLE public.participants TO tandem_app;
GRANT UPDATE(stripe_customer_id) ON TABLE public.participants TO tandem_eraser;

--
-- Name: COLUMN participants.existing_customer; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(existing_customer) ON TABLE public.participants TO tandem_app;

--
-- Name: COLUMN participants.erased_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(erased_at) ON TABLE public.participants TO tandem_eraser;

--
-- Name: TABLE plans; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.plans TO tandem_app;
GRANT SELECT ON TABLE public.plans TO tandem_referee;

--
-- Name: TABLE raffle_draws; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.raffle_draws TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.raffle_draws TO tandem_app;

--
-- Name: TABLE raffle_entries; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.raffle_entries TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.raffle_entries TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.raffle_entries TO tandem_app;

--
-- Name: TABLE raffle_winners; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.raffle_winners TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.raffle_winners TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.raffle_winners TO tandem_app;

--
-- Name: TABLE referrer_codes; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.referrer_codes TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.referrer_codes TO tandem_app;

--
-- Name: TABLE retention_settings; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.retention_settings TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.retention_settings TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.retention_settings TO tandem_app;

--
-- Name: TABLE reward_fulfilments; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.reward_fulfilments TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.reward_fulfilments TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.reward_fulfilments TO tandem_referee;

--
-- Name: COLUMN reward_fulfilments.status; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(status) ON TABLE public.reward_fulfilments TO tandem_app;

--
-- Name: COLUMN reward_fulfilments.stripe_object; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(stripe_object) ON TABLE public.reward_fulfilments TO tandem_app;

--
-- Name: COLUMN reward_fulfilments.code; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(code) ON TABLE public.reward_fulfilments TO tandem_app;

--
-- Name: COLUMN reward_fulfilments.error; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(error) ON TABLE public.reward_fulfilments TO tandem_app;

--
-- Name: COLUMN reward_fulfilments.attempts; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(attempts) ON TABLE public.reward_fulfilments TO tandem_app;

--
-- Name: COLUMN reward_fulfilments.updated_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(updated_at) ON TABLE public.reward_fulfilments TO tandem_app;

--
-- Name: TABLE reward_tokens; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.reward_tokens TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.reward_tokens TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.reward_tokens TO tandem_app;
GRANT SELECT,INSERT ON TABLE public.reward_tokens TO tandem_referee;

--
-- Name: COLUMN reward_tokens.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.reward_tokens TO tandem_definer;

--
-- Name: COLUMN reward_tokens.status; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(status) ON TABLE public.reward_tokens TO tandem_definer;
GRANT UPDATE(status) ON TABLE public.reward_tokens TO tandem_app;

--
-- Name: COLUMN reward_tokens.status_changed_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(status_changed_at) ON TABLE public.reward_tokens TO tandem_app;

--
-- Name: COLUMN reward_tokens.raffle_draw_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(raffle_draw_id) ON TABLE public.reward_tokens TO tandem_app;

--
-- Name: COLUMN reward_tokens.expires_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(expires_at) ON TABLE public.reward_tokens TO tandem_definer;

--
-- Name: COLUMN reward_tokens.review_reason; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(review_reason) ON TABLE public.reward_tokens TO tandem_app;

--
-- Name: TABLE river_job; Type: ACL; Schema: public; Owner: postgres
--

GRANT INSERT ON TABLE public.river_job TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.river_job TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.river_job TO tandem_jobs;

--
-- Name: SEQUENCE river_job_id_seq; Type: ACL; Schema: public; Owner: postgres
--

GRANT USAGE ON SEQUENCE public.river_job_id_seq TO tandem_jobs;
GRANT USAGE ON SEQUENCE public.river_job_id_seq TO tandem_referee;

--
-- Name: TABLE river_leader; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.river_leader TO tandem_jobs;

--
-- Name: TABLE river_migration; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.river_migration TO tandem_jobs;

--
-- Name: TABLE river_notification; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.river_notification TO tandem_jobs;

--
-- Name: SEQUENCE river_notification_id_seq; Type: ACL; Schema: public; Owner: postgres
--

GRANT USAGE ON SEQUENCE public.river_notification_id_seq TO tandem_jobs;

--
-- Name: TABLE river_queue; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.river_queue TO tandem_jobs;

--
-- Name: TABLE rollup_deltas; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.rollup_deltas TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.rollup_deltas TO tandem_purger;
GRANT SELECT,INSERT,DELETE ON TABLE public.rollup_deltas TO tandem_referee;

--
-- Name: TABLE sessions; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.sessions TO tandem_app;

--
-- Name: TABLE stripe_connections; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.stripe_connections TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.stripe_connections TO tandem_app;

--
-- Name: TABLE stripe_events; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.stripe_events TO tandem_app;
GRANT SELECT,DELETE ON TABLE public.stripe_events TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.stripe_events TO tandem_referee;

--
-- Name: TABLE tenant_branding; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.tenant_branding TO tandem_purger;
GRANT SELECT,INSERT,UPDATE ON TABLE public.tenant_branding TO tandem_app;

--
-- Name: TABLE tenant_texts; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.tenant_texts TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tenant_texts TO tandem_app;

--
-- Name: TABLE tenant_translations; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.tenant_translations TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tenant_translations TO tandem_app;

--
-- Name: TABLE tenants; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.tenants TO tandem_app;
GRANT SELECT ON TABLE public.tenants TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.tenants TO tandem_purger;

--
-- Name: COLUMN tenants.id; Type: ACL; Schema: public; Owner: postgres
--

GRANT INSERT(id) ON TABLE public.tenants TO tandem_app;
GRANT SELECT(id) ON TABLE public.tenants TO tandem_definer;

--
-- Name: COLUMN tenants.slug; Type: ACL; Schema: public; Owner: postgres
--

GRANT INSERT(slug) ON TABLE public.tenants TO tandem_app;
GRANT SELECT(slug) ON TABLE public.tenants TO tandem_definer;

--
-- Name: COLUMN tenants.name; Type: ACL; Schema: public; Owner: postgres
--

GRANT INSERT(name),UPDATE(name) ON TABLE public.tenants TO tandem_app;

--
-- Name: COLUMN tenants.plan; Type: ACL; Schema: public; Owner: postgres
--

GRANT INSERT(plan) ON TABLE public.tenants TO tandem_app;
GRANT UPDATE(plan) ON TABLE public.tenants TO tandem_referee;

--
-- Name: COLUMN tenants.billing_status; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(billing_status) ON TABLE public.tenants TO tandem_referee;

--
-- Name: COLUMN tenants.stripe_customer_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(stripe_customer_id) ON TABLE public.tenants TO tandem_definer;
GRANT UPDATE(stripe_customer_id) ON TABLE public.tenants TO tandem_referee;

--
-- Name: COLUMN tenants.stripe_subscription_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(stripe_subscription_id) ON TABLE public.tenants TO tandem_referee;

--
-- Name: COLUMN tenants.billing_synced_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(billing_synced_at) ON TABLE public.tenants TO tandem_referee;

--
-- Name: COLUMN tenants.deletion_requested_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(deletion_requested_at) ON TABLE public.tenants TO tandem_referee;

--
-- Name: COLUMN tenants.deletion_due_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(deletion_due_at) ON TABLE public.tenants TO tandem_definer;
GRANT UPDATE(deletion_due_at) ON TABLE public.tenants TO tandem_referee;

--
-- Name: COLUMN tenants.purge_from; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(purge_from) ON TABLE public.tenants TO tandem_purger;

--
-- Name: TABLE webhook_attempts; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.webhook_attempts TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.webhook_attempts TO tandem_purger;
GRANT SELECT,DELETE ON TABLE public.webhook_attempts TO tandem_referee;
GRANT SELECT,INSERT ON TABLE public.webhook_attempts TO tandem_app;

--
-- Name: COLUMN webhook_attempts.error; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(error) ON TABLE public.webhook_attempts TO tandem_eraser;

--
-- Name: COLUMN webhook_attempts.response; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(response) ON TABLE public.webhook_attempts TO tandem_eraser;

--
-- Name: TABLE webhook_deliveries; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.webhook_deliveries TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.webhook_deliveries TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.webhook_deliveries TO tandem_app;
GRANT SELECT,INSERT ON TABLE public.webhook_deliveries TO tandem_referee;

--
-- Name: COLUMN webhook_deliveries.status; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(status) ON TABLE public.webhook_deliveries TO tandem_app;

--
-- Name: COLUMN webhook_deliveries.attempts; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(attempts) ON TABLE public.webhook_deliveries TO tandem_app;

--
-- Name: COLUMN webhook_deliveries.finished_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(finished_at) ON TABLE public.webhook_deliveries TO tandem_app;

--
-- Name: TABLE webhook_endpoints; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.webhook_endpoints TO tandem_referee;
GRANT SELECT,DELETE ON TABLE public.webhook_endpoints TO tandem_purger;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.webhook_endpoints TO tandem_app;

--
-- Name: TABLE webhook_messages; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.webhook_messages TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.webhook_messages TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.webhook_messages TO tandem_app;
GRANT SELECT,INSERT ON TABLE public.webhook_messages TO tandem_referee;

--
-- Name: COLUMN webhook_messages.object_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(object_id) ON TABLE public.webhook_messages TO tandem_eraser;

--
-- Name: COLUMN webhook_messages.facts; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(facts) ON TABLE public.webhook_messages TO tandem_referee;

--
-- Name: COLUMN webhook_messages.payload; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(payload) ON TABLE public.webhook_messages TO tandem_app;
GRANT UPDATE(payload) ON TABLE public.webhook_messages TO tandem_eraser;
GRANT UPDATE(payload) ON TABLE public.webhook_messages TO tandem_referee;

--
-- Name: COLUMN webhook_messages.snapshot; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(snapshot) ON TABLE public.webhook_messages TO tandem_eraser;
GRANT UPDATE(snapshot) ON TABLE public.webhook_messages TO tandem_referee;

--
-- Name: TABLE widget_settings; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.widget_settings TO tandem_purger;
GRANT SELECT,INSERT ON TABLE public.widget_settings TO tandem_app;

--
-- Name: COLUMN widget_settings.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.widget_settings TO tandem_definer;

--
-- Name: COLUMN widget_settings.allowed_origins; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(allowed_origins) ON TABLE public.widget_settings TO tandem_definer;
GRANT UPDATE(allowed_origins) ON TABLE public.widget_settings TO tandem_app;

--
-- Name: COLUMN widget_settings.updated_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT UPDATE(updated_at) ON TABLE public.widget_settings TO tandem_app;

--
-- Name: TABLE widget_tokens; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,DELETE ON TABLE public.widget_tokens TO tandem_eraser;
GRANT SELECT,DELETE ON TABLE public.widget_tokens TO tandem_purger;
GRANT SELECT,DELETE ON TABLE public.widget_tokens TO tandem_referee;
GRANT SELECT,INSERT ON TABLE public.widget_tokens TO tandem_app;

--
-- Name: COLUMN widget_tokens.tenant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(tenant_id) ON TABLE public.widget_tokens TO tandem_definer;

--
-- Name: COLUMN widget_tokens.id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(id) ON TABLE public.widget_tokens TO tandem_definer;

--
-- Name: COLUMN widget_tokens.token_hash; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(token_hash) ON TABLE public.widget_tokens TO tandem_definer;

--
-- Name: COLUMN widget_tokens.key_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(key_id) ON TABLE public.widget_tokens TO tandem_definer;

--
-- Name: COLUMN widget_tokens.participant_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(participant_id) ON TABLE public.widget_tokens TO tandem_definer;

--
-- Name: COLUMN widget_tokens.campaign_id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(campaign_id) ON TABLE public.widget_tokens TO tandem_definer;

--
-- Name: COLUMN widget_tokens.expires_at; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(expires_at) ON TABLE public.widget_tokens TO tandem_definer;

--
-- PostgreSQL database dump complete
--
