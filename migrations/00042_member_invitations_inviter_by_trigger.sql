-- An invitation to the team keeps who sent it until that member is removed
-- (00009_console.sql). That was ON DELETE SET NULL (invited_by) on the
-- foreign key, which Citus refuses on a key that includes the distribution
-- column (docs/scale.md). The key stays, without the action, and a trigger
-- on members clears the column first (members_forget_inviter), so a removed
-- member still leaves their invitations standing, with no sender.

-- +goose Up
ALTER TABLE member_invitations DROP CONSTRAINT member_invitations_tenant_id_invited_by_fkey;
ALTER TABLE member_invitations ADD CONSTRAINT member_invitations_tenant_id_invited_by_fkey
  FOREIGN KEY (tenant_id, invited_by) REFERENCES members (tenant_id, id);
-- The trigger's function runs as tandem_referee: tandem_app may set only
-- accepted_at and revoked_at.
GRANT SELECT, UPDATE (invited_by) ON member_invitations TO tandem_referee;
