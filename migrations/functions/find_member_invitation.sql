CREATE OR REPLACE FUNCTION find_member_invitation(p_token_hash bytea)
RETURNS TABLE (tenant_id uuid, invitation_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT i.tenant_id, i.id FROM member_invitations i WHERE i.token_hash = p_token_hash
$$;

ALTER FUNCTION find_member_invitation(bytea) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_member_invitation(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_member_invitation(bytea) TO tandem_app;
