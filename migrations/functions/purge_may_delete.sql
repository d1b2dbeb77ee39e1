-- Whether a row of p_tenant_id that the schema never deletes otherwise (an
-- event, an audit entry, a raffle result, a reward token, a published
-- version, the last owner, an invite code) may be deleted by the current
-- statement: only by a deleted account's purge, which runs as
-- tandem_purger (purge_tenant), and only once the tenant's grace period is
-- over. The guards of those rows ask it on a delete.
CREATE OR REPLACE FUNCTION purge_may_delete(p_tenant_id uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  IF current_user <> 'tandem_purger' THEN
    RETURN false;
  END IF;
  RETURN EXISTS (SELECT FROM tenants t WHERE t.id = p_tenant_id AND t.deletion_due_at <= now());
END
$$;
