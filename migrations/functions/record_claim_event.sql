CREATE OR REPLACE FUNCTION record_claim_event(p_invitation_id text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statements
  inv invitations;
BEGIN
  SELECT * INTO inv FROM invitations WHERE tenant_id = current_tenant AND id = p_invitation_id;
  IF NOT FOUND OR inv.guest_id IS NULL THEN
    RAISE EXCEPTION 'invitation % is not claimed', p_invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reserved_event', DETAIL = 'constraint "reserved_event"';
  END IF;
  -- Callers hold the guest's exclusive lock (lock_guest), so this check and
  -- the insert cannot interleave with another record of the same claim.
  IF EXISTS (SELECT 1 FROM events e
             WHERE e.tenant_id = inv.tenant_id AND e.participant_id = inv.guest_id AND e.name = 'invitation_claimed'
               AND e.properties ->> 'invitation' = inv.id) THEN
    RETURN;
  END IF;
  INSERT INTO events (tenant_id, participant_id, name, occurred_at, properties)
  VALUES (inv.tenant_id, inv.guest_id, 'invitation_claimed', inv.claimed_at, jsonb_build_object('invitation', inv.id));
END
$$;

ALTER FUNCTION record_claim_event(text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION record_claim_event(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION record_claim_event(text) TO tandem_app;
