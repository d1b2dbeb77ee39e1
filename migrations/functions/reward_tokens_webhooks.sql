-- Reward tokens: held or issued, then approved (and so issued) or rejected,
-- then redeemed, voided or expired. An approval also says reward.issued, so
-- that a receiver that fulfils on reward.issued needs no other type.
CREATE OR REPLACE FUNCTION reward_tokens_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  -- A tenant without an enabled endpoint stops here, as invitations_webhooks
  -- does, before the call of webhook_record (a function with its own
  -- settings: measurably dearer than the probe, twice a completion).
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id AND e.status = 'enabled') THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'held' THEN
    IF NEW.status = 'voided' THEN
      PERFORM webhook_record(NEW.tenant_id, 'reward.rejected', NEW.id, '{}');
      RETURN NULL;
    END IF;
    PERFORM webhook_record(NEW.tenant_id, 'reward.approved', NEW.id, '{}');
  END IF;
  PERFORM webhook_record(NEW.tenant_id, 'reward.' || NEW.status, NEW.id, '{}');
  RETURN NULL;
END
$$;
