-- Reward expiry (issue 11): a version may say how many days its rewards
-- stay redeemable; each token then carries its expires_at, and a periodic
-- job (package jobs) expires the issued tokens past it, each once.

-- +goose Up
ALTER TABLE campaign_versions ADD COLUMN reward_expires_after_days integer
  CHECK (reward_expires_after_days BETWEEN 1 AND 3650);
ALTER TABLE reward_tokens ADD COLUMN expires_at timestamptz;
-- A token's expiry is its version's rule, never the caller's choice.
ALTER TABLE reward_tokens ADD CONSTRAINT reward_expires_after_issue CHECK (expires_at > issued_at);

-- The expiry job's question, per tenant: which issued tokens are due.
CREATE INDEX reward_tokens_due ON reward_tokens (tenant_id, expires_at) WHERE status = 'issued' AND expires_at IS NOT NULL;

-- expires_at is set here, from the version the invitation pinned, whatever
-- the insert says; tandem_app has no UPDATE on the column, and
-- reward_tokens_guard below keeps it fixed for any other role.
-- +goose StatementBegin
CREATE FUNCTION reward_tokens_expiry() RETURNS trigger
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
-- +goose StatementEnd
CREATE TRIGGER reward_tokens_expiry BEFORE INSERT ON reward_tokens
  FOR EACH ROW EXECUTE FUNCTION reward_tokens_expiry();

-- +goose StatementBegin
CREATE FUNCTION reward_tokens_expiry_fixed() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'reward % keeps the expiry it was issued with', OLD.id
    USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reward_tokens_expiry_fixed BEFORE UPDATE ON reward_tokens
  FOR EACH ROW WHEN (NEW.expires_at IS DISTINCT FROM OLD.expires_at)
  EXECUTE FUNCTION reward_tokens_expiry_fixed();

-- Which tenants have tokens due: the one cross-tenant question of the
-- expiry job, answered by the definer's narrow view (tenant ids only); the
-- job then expires each tenant's tokens inside that tenant's transaction.
GRANT SELECT (tenant_id, status, expires_at) ON reward_tokens TO tandem_definer;
CREATE POLICY definer_finds_due_rewards ON reward_tokens FOR SELECT TO tandem_definer
  USING (status = 'issued' AND expires_at IS NOT NULL);
-- +goose StatementBegin
CREATE FUNCTION tenants_with_due_rewards(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT DISTINCT r.tenant_id FROM reward_tokens r WHERE r.status = 'issued' AND r.expires_at <= p_now $$;
-- +goose StatementEnd
GRANT CREATE ON SCHEMA public TO tandem_definer;
ALTER FUNCTION tenants_with_due_rewards(timestamptz) OWNER TO tandem_definer;
REVOKE CREATE ON SCHEMA public FROM tandem_definer;
REVOKE ALL ON FUNCTION tenants_with_due_rewards(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenants_with_due_rewards(timestamptz) TO tandem_app;

-- +goose Down
REVOKE EXECUTE ON FUNCTION tenants_with_due_rewards(timestamptz) FROM tandem_app;
DROP FUNCTION tenants_with_due_rewards(timestamptz);
DROP POLICY definer_finds_due_rewards ON reward_tokens;
REVOKE SELECT (tenant_id, status, expires_at) ON reward_tokens FROM tandem_definer;
DROP TRIGGER reward_tokens_expiry_fixed ON reward_tokens;
DROP FUNCTION reward_tokens_expiry_fixed();
DROP TRIGGER reward_tokens_expiry ON reward_tokens;
DROP FUNCTION reward_tokens_expiry();
DROP INDEX reward_tokens_due;
ALTER TABLE reward_tokens DROP COLUMN expires_at;
ALTER TABLE campaign_versions DROP COLUMN reward_expires_after_days;
