-- Reward expiry: a version may say how many days its rewards
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

-- Which tenants have tokens due: the one cross-tenant question of the
-- expiry job, answered by the definer's narrow view (tenant ids only); the
-- job then expires each tenant's tokens inside that tenant's transaction.
GRANT SELECT (tenant_id, status, expires_at) ON reward_tokens TO tandem_definer;
CREATE POLICY definer_finds_due_rewards ON reward_tokens FOR SELECT TO tandem_definer
  USING (status = 'issued' AND expires_at IS NOT NULL);
GRANT CREATE ON SCHEMA public TO tandem_definer;
REVOKE CREATE ON SCHEMA public FROM tandem_definer;
