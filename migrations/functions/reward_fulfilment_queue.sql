CREATE OR REPLACE FUNCTION reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO river_job (kind, queue, max_attempts, args)
  VALUES ('reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', p_tenant_id, 'reward_id', p_reward_id));
  PERFORM pg_notify('public.river_insert', '{"queue": "default"}');
END
$$;

-- The retry button queues a job as tandem_app; the trigger as the referee.
ALTER FUNCTION reward_fulfilment_queue(uuid,text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION reward_fulfilment_queue(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reward_fulfilment_queue(uuid,text) TO tandem_app;
