-- One batch of a campaign's migration (00060): the next p_limit in-flight
-- invitations still below the migration's version, in (host, id) order
-- after its cursor, locked in that order as ingestion locks them, each
-- moved to the version by an update that judges it again from the stored
-- events (invitations_before_update; a completion takes its host's counter
-- then, as when ingestion completes it). The batch is its caller's
-- transaction, meant to be short: a guest whose invitation it holds waits
-- for it, no longer. Batches of one migration run one at a time (its row's
-- lock). A batch that finds nothing left finishes the migration. Returns
-- how many it moved and whether the migration is finished.
CREATE OR REPLACE FUNCTION migrate_inflight_batch(p_tenant_id uuid, p_campaign_id text, p_version integer, p_limit integer)
RETURNS TABLE (moved integer, finished boolean)
LANGUAGE plpgsql SET search_path = public, pg_temp
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

REVOKE ALL ON FUNCTION migrate_inflight_batch(uuid,text,integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION migrate_inflight_batch(uuid,text,integer,integer) TO tandem_app;
