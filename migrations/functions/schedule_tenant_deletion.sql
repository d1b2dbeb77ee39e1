-- schedule_tenant_deletion schedules the deletion of the transaction's
-- tenant at the end of its grace period, 7 days (168 hours) from now, when
-- p_confirmation is the tenant's name or slug as typed by the owner (the
-- console asks for it; the schema checks it, so no path skips it), and
-- returns when the removal may start. Scheduling again keeps the first
-- date. Who may ask (an owner) is the console's check; the audit entry is
-- written in the same transaction by its caller.
CREATE OR REPLACE FUNCTION schedule_tenant_deletion(p_tenant_id uuid, p_confirmation text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
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

ALTER FUNCTION schedule_tenant_deletion(uuid,text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION schedule_tenant_deletion(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION schedule_tenant_deletion(uuid,text) TO tandem_app;
