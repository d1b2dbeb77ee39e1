-- The invitation expiry sweep's lookup: the tenants with pending
-- invitations past expires_at and not yet marked (tenant ids only, through
-- definer_finds_due_invitations), but those whose account deletion is
-- scheduled (list_tenant_ids says why). PL/pgSQL, not SQL: Citus cannot plan a
-- distributed query that uses an SQL function's parameters.
CREATE OR REPLACE FUNCTION tenants_with_due_invitations(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT DISTINCT i.tenant_id FROM invitations i JOIN tenants t ON t.id = i.tenant_id AND t.deletion_due_at IS NULL
  WHERE i.guest_id IS NULL AND i.expired_at IS NULL AND i.expires_at <= p_now;
END
$$;

ALTER FUNCTION tenants_with_due_invitations(timestamp with time zone) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION tenants_with_due_invitations(timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenants_with_due_invitations(timestamp with time zone) TO tandem_app;
