-- Reward tokens: held or issued, then approved (and so issued) or rejected,
-- then redeemed, voided or expired. An approval also says reward.issued, so
-- that a receiver that fulfils on reward.issued needs no other type.
CREATE OR REPLACE FUNCTION reward_tokens_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
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
