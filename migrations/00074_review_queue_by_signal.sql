-- The review queue filtered by a risk signal (the console's
-- /review?signal=) finds the referrals that carry the code first, then
-- their held rewards, instead of reading every held reward and each one's
-- invitation: a signal few held referrals carry cost as much as the whole
-- queue, and grew with it.
--
-- Why a table and not an index over invitations.risk_signals: under
-- row-level security PostgreSQL uses a condition as an index's only when
-- its functions are leakproof, and jsonb containment (or any expression
-- reading the codes out of the JSON) is not, so a GIN or expression index
-- there is never used by the app's role. One row per code, compared with
-- text equality, is.

-- +goose Up
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- The codes of each referral's risk signals (invitations.risk_signals
-- keeps the levels and evidence). Written only by the invitations'
-- trigger (invitations_signal_codes, owned by tandem_referee), which keeps
-- one row per code of the invitation's signals, no more and no fewer; the
-- app's role only reads it.
CREATE TABLE invitation_signals (
  tenant_id     uuid NOT NULL DEFAULT app_tenant_id(),
  invitation_id text NOT NULL,
  code          text NOT NULL,
  PRIMARY KEY (tenant_id, invitation_id, code),
  FOREIGN KEY (tenant_id, invitation_id) REFERENCES invitations (tenant_id, id) ON DELETE CASCADE
);
SELECT enable_tenant_rls('invitation_signals');
GRANT SELECT ON invitation_signals TO tandem_app;
GRANT SELECT, INSERT, DELETE ON invitation_signals TO tandem_referee;

-- A tenant's referrals that carry a code.
CREATE INDEX invitation_signals_by_code ON invitation_signals (tenant_id, code, invitation_id);

-- The referrals recorded before this table.
INSERT INTO invitation_signals (tenant_id, invitation_id, code)
SELECT i.tenant_id, i.id, s ->> 'code'
FROM invitations i CROSS JOIN LATERAL jsonb_array_elements(i.risk_signals) s
WHERE i.risk_signals IS NOT NULL
ON CONFLICT DO NOTHING;

-- A referral's held rewards: only held tokens are indexed, so that a
-- campaign without review writes nothing more.
CREATE INDEX reward_tokens_held_by_invitation ON reward_tokens (tenant_id, invitation_id)
  WHERE status = 'held';
