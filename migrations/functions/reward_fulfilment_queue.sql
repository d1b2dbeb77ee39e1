-- Queues a Stripe reward's fulfilment in the transaction that decides it,
-- as webhook_queue queues deliveries: into river_job where this node has
-- it, into job_outbox on a Citus worker (webhook_queue.sql says why).
CREATE OR REPLACE FUNCTION reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF to_regclass('public.river_job') IS NULL THEN
    INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
    VALUES (p_tenant_id, 'reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', p_tenant_id, 'reward_id', p_reward_id));
    RETURN;
  END IF;
  INSERT INTO river_job (kind, queue, max_attempts, args)
  VALUES ('reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', p_tenant_id, 'reward_id', p_reward_id));
  PERFORM pg_notify('public.river_insert', '{"queue": "default"}');
END
$$;

-- The retry button queues a job as tandem_app; the trigger as the referee.
ALTER FUNCTION reward_fulfilment_queue(uuid,text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION reward_fulfilment_queue(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reward_fulfilment_queue(uuid,text) TO tandem_app;
