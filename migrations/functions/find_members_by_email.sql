-- The memberships of a login e-mail, one per tenant.
CREATE OR REPLACE FUNCTION find_members_by_email(p_email text)
RETURNS TABLE (tenant_id uuid, member_id text, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT m.tenant_id, m.id, m.password_hash FROM members m WHERE m.email = lower(p_email)
$$;

ALTER FUNCTION find_members_by_email(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_members_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_members_by_email(text) TO tandem_app;
