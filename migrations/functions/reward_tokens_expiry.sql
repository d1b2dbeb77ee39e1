-- expires_at is set here, from the version the invitation pinned, whatever
-- the insert says; tandem_app has no UPDATE on the column, and
-- reward_tokens_guard below keeps it fixed for any other role.
CREATE OR REPLACE FUNCTION reward_tokens_expiry() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  days integer;
BEGIN
  SELECT v.reward_expires_after_days INTO days
  FROM invitations i JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invitation_id;
  NEW.expires_at := NEW.issued_at + make_interval(days => days);
  RETURN NEW;
END
$$;
