-- Judges one claimed invitation from the stored events: the update takes
-- its row lock (so two events of one guest are judged one after the other;
-- callers hold the guest's lock, see lock_guest) and invitations_before_update
-- derives the rest. Ended campaigns judge no more.
CREATE OR REPLACE FUNCTION evaluate_invitation(p_invitation_id text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  UPDATE invitations i SET progress = i.progress
  WHERE i.tenant_id = current_tenant AND i.id = p_invitation_id
    AND i.guest_id IS NOT NULL AND i.completed_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.tenant_id = i.tenant_id AND c.id = i.campaign_id AND c.status = 'ended');
END
$$;
