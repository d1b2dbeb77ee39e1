-- purge_tenant removes one batch of a deleted account's rows and says how
-- many: at most p_limit rows of the first table in purge order that still
-- holds some, then, with every table empty, River's jobs that name the
-- tenant and the tenant's own row (1). It returns 0 once the tenant is
-- gone.
--
-- A batch starts at the table where the last one found rows
-- (tenants.purge_from, which only this function writes), not at the first
-- of the order: the tables before it were found empty, and probing each
-- again cost a statement per table per batch (on Citus a round trip to
-- the tenant's worker apiece). A late writer's rows in a table already
-- passed are found when the batches reach the end: before the tenant goes,
-- the tables before where they started are probed once more, in order. A
-- batch that fails at a foreign key (a late row in an earlier table points
-- at the rows it deletes) is called again with p_resume false, from the
-- first table, which finds the late rows first. The caller (the purge job, internal/jobs/tenant_purge.go) calls
-- it in the tenant's transaction, a batch a transaction, until it returns
-- 0, so that no batch holds its row locks for long; the locks are the
-- tenant's own rows, which nothing of another tenant waits for (on Citus a
-- batch of invite codes, and the tenant's own delete, write a reference
-- table, whose writes Citus serialises: another tenant's new code waits
-- for that batch). A campaign and its versions go whole, in one statement
-- (a tenant has tens of them, not millions).
--
-- It is the one path by which a tenant's rows leave: it runs as
-- tandem_purger, the only role the guards of rows that are never deleted
-- otherwise let delete; it refuses another tenant than the transaction's,
-- and any tenant before its deletion_due_at (the grace period the owner may
-- undo in). Order: a row goes before the rows it points at. A campaign and
-- its versions point at each other (the current version), so they go in
-- one statement, whose foreign keys are checked at its end. The audit log
-- goes last: until then it records what happened.
--
-- A row written while the purge runs (a request already past the key
-- check) is taken by a later batch; one written after the last batch makes
-- the tenant's own delete fail its foreign key, and the caller runs the
-- batches again. Every statement names the tenant as a value.
CREATE OR REPLACE FUNCTION purge_tenant(p_tenant_id uuid, p_limit integer, p_resume boolean) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;

ALTER FUNCTION purge_tenant(uuid,integer,boolean) OWNER TO tandem_purger;
REVOKE ALL ON FUNCTION purge_tenant(uuid,integer,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_tenant(uuid,integer,boolean) TO tandem_app;
