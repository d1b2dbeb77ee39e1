-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION find_member_invitation(p_token_hash bytea)
RETURNS TABLE (tenant_id uuid, invitation_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT i.tenant_id, i.id FROM member_invitations i WHERE i.token_hash = p_token_hash;
END
$$;

ALTER FUNCTION find_member_invitation(bytea) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_member_invitation(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_member_invitation(bytea) TO tandem_app;
