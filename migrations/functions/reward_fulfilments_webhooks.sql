-- A Stripe reward's fulfilment: fulfilled, or failed (on each fall into
-- failed: a retry that fails again sends another). The message's object is
-- the reward, with its fulfilment.
CREATE OR REPLACE FUNCTION reward_fulfilments_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM webhook_record(NEW.tenant_id, CASE NEW.status WHEN 'fulfilled' THEN 'reward.fulfilled' ELSE 'reward.fulfilment_failed' END,
    NEW.reward_id, '{}');
  RETURN NULL;
END
$$;
