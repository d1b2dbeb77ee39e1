-- A raffle drawn.
CREATE OR REPLACE FUNCTION raffle_draws_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM webhook_record(NEW.tenant_id, 'raffle.drawn', NEW.id, '{}');
  RETURN NULL;
END
$$;
