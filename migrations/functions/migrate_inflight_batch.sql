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
  current_tenant uuid := p_tenant_id;
  m campaign_migrations;
  ids text[];
  hosts text[];
  n integer;
  inv_id text;
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'migrate_inflight_batch: tenant % is not the transaction''s', p_tenant_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 THEN
    RAISE EXCEPTION 'migrate_inflight_batch: a batch moves at least one invitation' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO m FROM campaign_migrations
  WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no migration of campaign % to version %', p_campaign_id, p_version USING ERRCODE = 'no_data_found';
  END IF;
  IF m.finished_at IS NOT NULL THEN
    RETURN QUERY SELECT 0, true;
    RETURN;
  END IF;
  SELECT array_agg(x.id ORDER BY x.host_id, x.id), array_agg(x.host_id ORDER BY x.host_id, x.id)
  INTO ids, hosts
  FROM (SELECT i.id, i.host_id FROM invitations i
        WHERE i.tenant_id = current_tenant AND i.campaign_id = p_campaign_id
          AND i.guest_id IS NOT NULL AND i.completed_at IS NULL
          AND (i.host_id, i.id) > (coalesce(m.after_host, ''), coalesce(m.after_id, ''))
          AND i.version < p_version
        ORDER BY i.host_id, i.id
        LIMIT p_limit
        FOR UPDATE OF i) x;
  n := coalesce(cardinality(ids), 0);
  IF n = 0 THEN
    UPDATE campaign_migrations SET finished_at = now()
    WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version;
    RETURN QUERY SELECT 0, true;
    RETURN;
  END IF;
  FOREACH inv_id IN ARRAY ids LOOP
    UPDATE invitations SET version = p_version WHERE tenant_id = current_tenant AND id = inv_id;
  END LOOP;
  UPDATE campaign_migrations SET migrated = migrated + n, after_host = hosts[n], after_id = ids[n]
  WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version;
  RETURN QUERY SELECT n, false;
END
$$;

REVOKE ALL ON FUNCTION migrate_inflight_batch(uuid,text,integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION migrate_inflight_batch(uuid,text,integer,integer) TO tandem_app;
