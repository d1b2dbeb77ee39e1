-- cancel_tenant_deletion undoes the scheduled deletion of the
-- transaction's tenant during its grace period, and says whether one was
-- scheduled. Once the period is over the purge may have begun, and
-- nothing can be undone.
CREATE OR REPLACE FUNCTION cancel_tenant_deletion(p_tenant_id uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
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

ALTER FUNCTION cancel_tenant_deletion(uuid) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION cancel_tenant_deletion(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cancel_tenant_deletion(uuid) TO tandem_app;
