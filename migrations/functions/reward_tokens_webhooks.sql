-- Reward tokens: issued, then redeemed, voided or expired.
CREATE OR REPLACE FUNCTION reward_tokens_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM webhook_record(NEW.tenant_id, 'reward.' || NEW.status, NEW.id, '{}');
  RETURN NULL;
END
$$;
