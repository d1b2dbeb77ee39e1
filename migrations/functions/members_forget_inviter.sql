-- Before a member is removed, the team invitations they sent forget their
-- sender (00042): the foreign key on invited_by has no ON DELETE action,
-- which Citus refuses with the distribution column in the key.
CREATE OR REPLACE FUNCTION members_forget_inviter() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  UPDATE member_invitations SET invited_by = NULL
   WHERE tenant_id = OLD.tenant_id AND invited_by = OLD.id;
  RETURN OLD;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION members_forget_inviter() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION members_forget_inviter() FROM PUBLIC;
