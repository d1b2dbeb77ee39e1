-- Judges claimed invitations from the stored events, in the order given,
-- in one statement: the update takes each row's lock (callers hold the
-- guests' locks, see lock_guest, and pass the invitations in (host, id)
-- order) and invitations_before_update derives the rest, taking each
-- completion's host counter in that order too, so that two batches wait for
-- each other instead of deadlocking. The order is the nested loop's over
-- the ids (the only join left to the planner here), the rows of one
-- statement being worth it: a statement per invitation costs each
-- completion its own executor start, and the issuing trigger's insert.
-- Ended campaigns judge no more.
CREATE OR REPLACE FUNCTION evaluate_invitations(p_invitation_ids text[]) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  UPDATE invitations i SET progress = i.progress
  FROM unnest(p_invitation_ids) WITH ORDINALITY AS o(id, n)
  WHERE i.tenant_id = current_tenant AND i.id = o.id
    AND i.guest_id IS NOT NULL AND i.completed_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.tenant_id = i.tenant_id AND c.id = i.campaign_id AND c.status = 'ended');
END
$$;
