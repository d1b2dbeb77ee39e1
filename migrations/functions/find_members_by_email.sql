-- The memberships of a login e-mail, one per tenant.
-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION find_members_by_email(p_email text)
RETURNS TABLE (tenant_id uuid, member_id text, password_hash text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT m.tenant_id, m.id, m.password_hash FROM members m WHERE m.email = lower(p_email);
END
$$;

ALTER FUNCTION find_members_by_email(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_members_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_members_by_email(text) TO tandem_app;
