-- The risk recorded on an invitation only rises: its level never goes down
-- (nor away), whatever is rewritten in its signals' evidence, so the risk
-- that decided a hold stays on the record. And a claim whose risk is high
-- is refused (claim_blocked) when the version the claim pins blocks high
-- risk. Runs after invitations_before_insert and _update (trigger names
-- sort after theirs), which set the version of a claim.
CREATE OR REPLACE FUNCTION invitations_risk_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  blocks boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.risk_level IS NOT NULL
     AND (NEW.risk_level IS NULL OR (OLD.risk_level = 'high' AND NEW.risk_level <> 'high')) THEN
    RAISE EXCEPTION 'invitation % keeps the risk it was found to carry', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invitation_risk_only_rises', DETAIL = 'constraint "invitation_risk_only_rises"';
  END IF;
  IF NEW.risk_level = 'high' AND NEW.guest_id IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.guest_id IS NULL) THEN
    SELECT v.block_high_risk INTO blocks FROM campaign_versions v
    WHERE v.tenant_id = NEW.tenant_id AND v.campaign_id = NEW.campaign_id AND v.version = NEW.version;
    IF blocks THEN
      RAISE EXCEPTION 'the claim of invitation % carries a high risk, which its campaign blocks', NEW.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_blocked', DETAIL = 'constraint "claim_blocked"';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
