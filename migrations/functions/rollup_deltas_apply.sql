-- At the commit, each delta a statement left (invitations_rollup,
-- reward_tokens_rollup) is added to its rollup's row in the transaction's
-- shard (rollup_shard, 00011) and deleted.
CREATE OR REPLACE FUNCTION rollup_deltas_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  s smallint := rollup_shard();
BEGIN
  IF NEW.rollup = 'funnel' THEN
    INSERT INTO campaign_rollups AS r (tenant_id, campaign_id, shard, created, claimed, completed, reached)
    VALUES (NEW.tenant_id, NEW.campaign_id, s, NEW.created, NEW.claimed, NEW.completed, NEW.reached)
    ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE
    SET created = r.created + excluded.created,
        claimed = r.claimed + excluded.claimed,
        completed = r.completed + excluded.completed,
        reached = CASE WHEN excluded.reached = '{}' THEN r.reached ELSE add_counts(r.reached, excluded.reached) END;
  ELSIF NEW.rollup = 'day' THEN
    INSERT INTO campaign_day_rollups AS r (tenant_id, campaign_id, day, shard, created, claimed, completed)
    VALUES (NEW.tenant_id, NEW.campaign_id, NEW.day, s, NEW.created, NEW.claimed, NEW.completed)
    ON CONFLICT (tenant_id, campaign_id, day, shard) DO UPDATE
    SET created = r.created + excluded.created,
        claimed = r.claimed + excluded.claimed,
        completed = r.completed + excluded.completed;
  ELSE
    INSERT INTO campaign_reward_rollups AS r (tenant_id, campaign_id, kind, currency, shard,
      issued, issued_quantity, issued_amount, redeemed, redeemed_quantity, redeemed_amount,
      voided, voided_amount, expired, expired_amount, held, held_amount)
    VALUES (NEW.tenant_id, NEW.campaign_id, NEW.kind, NEW.currency, s,
      NEW.issued, NEW.issued_quantity, NEW.issued_amount, NEW.redeemed, NEW.redeemed_quantity, NEW.redeemed_amount,
      NEW.voided, NEW.voided_amount, NEW.expired, NEW.expired_amount, NEW.held, NEW.held_amount)
    ON CONFLICT (tenant_id, campaign_id, kind, currency, shard) DO UPDATE
    SET issued = r.issued + excluded.issued,
        issued_quantity = r.issued_quantity + excluded.issued_quantity,
        issued_amount = r.issued_amount + excluded.issued_amount,
        redeemed = r.redeemed + excluded.redeemed,
        redeemed_quantity = r.redeemed_quantity + excluded.redeemed_quantity,
        redeemed_amount = r.redeemed_amount + excluded.redeemed_amount,
        voided = r.voided + excluded.voided,
        voided_amount = r.voided_amount + excluded.voided_amount,
        expired = r.expired + excluded.expired,
        expired_amount = r.expired_amount + excluded.expired_amount,
        held = r.held + excluded.held,
        held_amount = r.held_amount + excluded.held_amount;
  END IF;
  DELETE FROM rollup_deltas WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
  RETURN NULL;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION rollup_deltas_apply() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION rollup_deltas_apply() FROM PUBLIC;
