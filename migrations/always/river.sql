-- Applied by models.Migrate after River's own migrator, every time: River
-- creates its tables after the goose migrations (and may add some in a later
-- version), so what may be done with them is said here, where they exist.
--
-- Jobs are tenant data (migrations/00037_jobs_are_tenant_data.sql): a job's
-- arguments name a tenant and its rows, its errors quote what Stripe said
-- about them. River's client works as tandem_jobs (jobs.OpenPool): it
-- fetches, locks, completes and retries jobs, elects a leader, keeps its
-- queues and inserts the periodic jobs. tandem_app holds nothing here; a
-- tenant's transaction queues a job only through webhook_queue or
-- reward_fulfilment_queue, which insert as tandem_referee, for the
-- transaction's own tenant only (the policy below).
REVOKE ALL ON river_job, river_leader, river_queue, river_notification, river_migration FROM tandem_app;
REVOKE ALL ON SEQUENCE river_job_id_seq, river_notification_id_seq FROM tandem_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON river_job, river_leader, river_queue, river_notification TO tandem_jobs;
-- River's client reads which of its migrations ran and refuses to start on
-- a schema older than it; it never writes them.
GRANT SELECT ON river_migration TO tandem_jobs;
GRANT USAGE ON SEQUENCE river_job_id_seq, river_notification_id_seq TO tandem_jobs;
GRANT INSERT ON river_job TO tandem_referee;
GRANT USAGE ON SEQUENCE river_job_id_seq TO tandem_referee;
-- A deleted account's purge (purge_tenant, as tandem_purger) deletes the
-- jobs that name the tenant of its transaction, and nothing else.
GRANT SELECT, DELETE ON river_job TO tandem_purger;

-- Row-level security, not forced: the owner (River's migrator) is not bound.
-- tandem_jobs sees River's tables only where no tenant is set, as on River's
-- own connections; tandem_app may become tandem_jobs (it must, to let River
-- connect as it), but inside a tenant's transaction that role sees no row
-- and writes none. tandem_referee may only insert a job naming the
-- transaction's tenant. Policies are created when missing rather than
-- replaced, which would lock River's busy tables at every start: changing
-- one means an ALTER POLICY here.
DO $$
DECLARE
  t regclass;
BEGIN
  FOREACH t IN ARRAY ARRAY['river_job', 'river_leader', 'river_queue', 'river_notification', 'river_migration']::regclass[] LOOP
    IF NOT (SELECT relrowsecurity FROM pg_class WHERE oid = t) THEN
      EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_policy WHERE polrelid = t AND polname = 'river_outside_tenants') THEN
      EXECUTE format('CREATE POLICY river_outside_tenants ON %s TO tandem_jobs
                        USING (app_tenant_id() IS NULL) WITH CHECK (app_tenant_id() IS NULL)', t);
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT FROM pg_policy WHERE polrelid = 'river_job'::regclass AND polname = 'river_job_queued_by_tenant') THEN
    CREATE POLICY river_job_queued_by_tenant ON river_job FOR INSERT TO tandem_referee
      WITH CHECK (args ->> 'tenant_id' = app_tenant_id()::text);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_policy WHERE polrelid = 'river_job'::regclass AND polname = 'river_job_purged_with_tenant') THEN
    CREATE POLICY river_job_purged_with_tenant ON river_job FOR ALL TO tandem_purger
      USING (args ->> 'tenant_id' = app_tenant_id()::text) WITH CHECK (false);
  END IF;
END
$$;

-- Every function of the schema pins its search_path (00012_referee.sql);
-- River creates this one without.
ALTER FUNCTION river_job_state_in_bitmask(bit, river_job_state) SET search_path = public, pg_temp;
