-- Moves at most p_limit of the oldest jobs of job_outbox into river_job
-- and says how many it moved. River's periodic outbox job calls it as
-- River's role (tandem_jobs), outside any tenant's transaction, on the node
-- that holds river_job (the only one, or Citus's coordinator).
--
-- Exactly once: each row is deleted by the statement that queues it, so a
-- row is queued only by the transaction that deletes it. One mover at a
-- time (a transaction-level advisory lock): two DELETEs of the same oldest
-- rows lock them in the order of their own plans (one generic, the other
-- custom, say) and could deadlock; the second waits for the first's
-- commit, and its DELETE, a statement started after, sees the rows gone
-- and takes the batch after them. No FOR UPDATE SKIP LOCKED, which Citus
-- refuses on a query over every shard; on Citus the DELETE reaches every
-- worker and the transaction commits on all of them or none.
--
-- The moved job is created and due when its tenant's transaction decided
-- it (the outbox row's created_at), as if River's insert had run there; the
-- rest is River's defaults, as the queue functions leave them. River's
-- listeners hear of it on its insert channel (webhook_queue.sql says why
-- the channel is prefixed), once per queue filled.
CREATE OR REPLACE FUNCTION job_outbox_move(p_limit integer) RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  moved integer;
  queues text[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('job_outbox_move', 0));
  WITH taken AS (
    DELETE FROM job_outbox
     WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM job_outbox ORDER BY created_at, id LIMIT p_limit)
    RETURNING kind, queue, max_attempts, args, created_at, id
  ), queued AS (
    INSERT INTO river_job (kind, queue, max_attempts, args, created_at, scheduled_at)
    SELECT kind, queue, max_attempts, args, created_at, created_at FROM taken ORDER BY created_at, id
    RETURNING queue
  )
  SELECT count(*), array_agg(DISTINCT queue) INTO moved, queues FROM queued;
  PERFORM pg_notify('public.river_insert', jsonb_build_object('queue', q)::text) FROM unnest(queues) q;
  RETURN moved;
END
$$;

REVOKE ALL ON FUNCTION job_outbox_move(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION job_outbox_move(integer) TO tandem_jobs;
