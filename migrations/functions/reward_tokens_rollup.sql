-- A reward token was born (insert: issued +1 with its quantity and amount,
-- or held +1 with its amount), or changed status (update: a held token
-- leaves held, -1, and counts as issued when approved and nowhere when
-- rejected; an issued one counts +1 under its final status).
-- reward_tokens_guard lets a token change status once from each state and
-- never rewrites its kind, quantity, amount or currency, so the key it
-- counts under holds.
CREATE OR REPLACE FUNCTION reward_tokens_rollup() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  born boolean := TG_OP = 'INSERT';
  held integer := CASE WHEN born AND NEW.status = 'held' THEN 1
                       WHEN NOT born AND OLD.status = 'held' THEN -1 ELSE 0 END;
  issued integer := (CASE WHEN born THEN NEW.status = 'issued' ELSE OLD.status = 'held' AND NEW.status = 'issued' END)::integer;
  settled boolean := NOT born AND OLD.status = 'issued';
  redeemed integer := (settled AND NEW.status = 'redeemed')::integer;
  voided integer := (settled AND NEW.status = 'voided')::integer;
  expired integer := (settled AND NEW.status = 'expired')::integer;
  amount bigint := coalesce(NEW.amount, 0);
BEGIN
  INSERT INTO campaign_reward_rollups AS r (tenant_id, campaign_id, kind, currency, shard,
    issued, issued_quantity, issued_amount, redeemed, redeemed_quantity, redeemed_amount,
    voided, voided_amount, expired, expired_amount, held, held_amount)
  VALUES (NEW.tenant_id, NEW.campaign_id, NEW.kind, coalesce(NEW.currency, ''), rollup_shard(),
    issued, issued * NEW.quantity, issued * amount, redeemed, redeemed * NEW.quantity, redeemed * amount,
    voided, voided * amount, expired, expired * amount, held, held * amount)
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
  RETURN NULL;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION reward_tokens_rollup() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION reward_tokens_rollup() FROM PUBLIC;
