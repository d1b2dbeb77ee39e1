-- The queue functions run as tandem_referee (SECURITY DEFINER), as the
-- triggers that call them already did, and tandem_app may no longer write
-- river_job itself. The tenant stays a parameter, so that the callers keep
-- their signature, but river_job's policy for tandem_referee refuses any
-- other than app.tenant_id: "queue a job for A" is refused inside B's
-- transaction and outside any.
--
-- Where this node has no river_job (a Citus worker, running the trigger of
-- the tenant's shard), the job goes to job_outbox instead, in the same
-- transaction and for the same tenant only (its policy for the referee), and
-- job_outbox_move queues it on the coordinator. The name is qualified so
-- that nothing but River's table decides the branch.
--
-- The notification's channel is River's topic prefixed with its schema, as
-- River's listener LISTENs (riverpgxv5: current_schema() || '.river_insert');
-- the bare 'river_insert' these functions sent before reached nobody, and
-- SQL-queued jobs waited for the next poll. A worker has no listener: the
-- mover notifies for what it moves.
CREATE OR REPLACE FUNCTION webhook_queue(p_tenant_id uuid, p_delivery_ids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  delivery text;
BEGIN
  IF to_regclass('public.river_job') IS NULL THEN
    -- A row at a time: Citus runs an INSERT … SELECT into a distributed
    -- table as a COPY, which it refuses under row-level security. A
    -- message has at most the plan's endpoints, so a few rows.
    FOREACH delivery IN ARRAY p_delivery_ids LOOP
      INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
      VALUES (p_tenant_id, 'webhook_delivery', 'webhooks', 25, jsonb_build_object('tenant_id', p_tenant_id, 'delivery_id', delivery));
    END LOOP;
    RETURN;
  END IF;
  INSERT INTO river_job (kind, queue, max_attempts, args)
  SELECT 'webhook_delivery', 'webhooks', 25, jsonb_build_object('tenant_id', p_tenant_id, 'delivery_id', d)
  FROM unnest(p_delivery_ids) d;
  PERFORM pg_notify('public.river_insert', '{"queue": "webhooks"}');
END
$$;

-- webhook_queue runs as its caller: the referee (above) or tandem_app
-- (test messages and replays), both granted INSERT on river_job by
-- migrations/always/river.sql.
ALTER FUNCTION webhook_queue(uuid,text[]) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION webhook_queue(uuid,text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_queue(uuid,text[]) TO tandem_app;
