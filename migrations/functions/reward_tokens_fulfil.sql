-- A Stripe reward issued (at birth, or when approved) gets its pending
-- fulfilment and its job.
-- SECURITY DEFINER (tandem_referee), as webhook_record: tokens are issued
-- inside the referee's functions too, and tandem_app may not insert
-- fulfilments itself.
CREATE OR REPLACE FUNCTION reward_tokens_fulfil() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO reward_fulfilments (tenant_id, reward_id) VALUES (NEW.tenant_id, NEW.id);
  PERFORM reward_fulfilment_queue(NEW.tenant_id, NEW.id);
  RETURN NULL;
END
$$;

ALTER FUNCTION reward_tokens_fulfil() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION reward_tokens_fulfil() FROM PUBLIC;
