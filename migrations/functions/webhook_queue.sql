-- The queue functions run as tandem_referee (SECURITY DEFINER), as the
-- triggers that call them already did, and tandem_app may no longer write
-- river_job itself. The tenant stays a parameter, so that the callers keep
-- their signature, but river_job's policy for tandem_referee refuses any
-- other than app.tenant_id: "queue a job for A" is refused inside B's
-- transaction and outside any.
--
-- The notification's channel is River's topic prefixed with its schema, as
-- River's listener LISTENs (riverpgxv5: current_schema() || '.river_insert');
-- the bare 'river_insert' these functions sent before reached nobody, and
-- SQL-queued jobs waited for the next poll.
CREATE OR REPLACE FUNCTION webhook_queue(p_tenant_id uuid, p_delivery_ids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
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
