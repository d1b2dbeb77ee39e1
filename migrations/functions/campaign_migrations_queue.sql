-- Queues a migration's job in the publishing transaction, as
-- reward_fulfilment_queue queues a fulfilment: into river_job where this
-- node has it, into job_outbox on a Citus worker (webhook_queue.sql says
-- why). The job (package jobs) runs the batches until the migration is
-- finished.
CREATE OR REPLACE FUNCTION campaign_migrations_queue() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  args jsonb := jsonb_build_object('tenant_id', NEW.tenant_id, 'campaign_id', NEW.campaign_id, 'version', NEW.version);
BEGIN
  IF to_regclass('public.river_job') IS NULL THEN
    INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
    VALUES (NEW.tenant_id, 'campaign_migration', 'default', 25, args);
    RETURN NULL;
  END IF;
  INSERT INTO river_job (kind, queue, max_attempts, args) VALUES ('campaign_migration', 'default', 25, args);
  PERFORM pg_notify('public.river_insert', '{"queue": "default"}');
  RETURN NULL;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION campaign_migrations_queue() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION campaign_migrations_queue() FROM PUBLIC;
