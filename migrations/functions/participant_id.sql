-- The id of the participant with this external id, created on first
-- mention: the tenant's backend may name a user in an event, a claim or an
-- invitation before it has sent their profile.
CREATE OR REPLACE FUNCTION participant_id(p_external_id text) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp
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
