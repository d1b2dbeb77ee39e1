-- New invitations: only in a live campaign. A manual invitation gets its
-- expiry here, from the current version's TTL, and comes with a code drawn by
-- register_code in the same statement (the foreign key to invite_codes keeps
-- it to a code drawn for this tenant, invitations_tenant_id_code_key to one
-- invitation). The inserting statement draws it, not this trigger: on Citus
-- a trigger runs on a shard, from which the reference table invite_codes
-- cannot be written. A referrer-code invitation is a claim, so it pins the
-- current version.
CREATE OR REPLACE FUNCTION invitations_before_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  c campaigns;
  ttl integer;
BEGIN
  SELECT * INTO c FROM campaigns WHERE tenant_id = NEW.tenant_id AND id = NEW.campaign_id;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key reports it
  END IF;
  IF NOT campaign_is_live(c.status, c.starts_at, c.ends_at) THEN
    RAISE EXCEPTION 'campaign % is not active', c.slug
      USING ERRCODE = 'check_violation', CONSTRAINT = 'campaign_not_active', DETAIL = 'constraint "campaign_not_active"';
  END IF;
  NEW.created_at := now();
  NEW.progress := 0;
  NEW.completed_at := NULL;
  NEW.completion_number := NULL;
  -- Only the expiry sweep marks an invitation expired, never its insert.
  IF NEW.expired_at IS NOT NULL THEN
    RAISE EXCEPTION 'an invitation is marked expired by the expiry sweep, not at its insert'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_expiry_marked_once', DETAIL = 'constraint "invitation_expiry_marked_once"';
  END IF;
  IF NEW.kind = 'invitation' THEN
    IF NEW.guest_id IS NOT NULL THEN
      RAISE EXCEPTION 'a manual invitation starts pending'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_shape', DETAIL = 'constraint "invitation_shape"';
    END IF;
    SELECT v.invitation_ttl_hours INTO ttl FROM campaign_versions v
    WHERE v.tenant_id = c.tenant_id AND v.campaign_id = c.id AND v.version = c.current_version;
    IF NEW.code IS NULL THEN
      RAISE EXCEPTION 'a manual invitation comes with a code drawn by register_code(''invitation'')'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_shape', DETAIL = 'constraint "invitation_shape"';
    END IF;
    NEW.expires_at := now() + make_interval(hours => ttl);
    NEW.claimed_at := NULL;
    NEW.version := NULL;
  ELSE
    NEW.claimed_at := now();
    NEW.version := c.current_version;
  END IF;
  RETURN NEW;
END
$$;
