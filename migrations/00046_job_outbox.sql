-- An outbox for River's jobs, for the nodes where River's table is not.
--
-- A tenant's transaction queues the jobs it decides (a webhook delivery, a
-- Stripe fulfilment) in itself, through webhook_queue and
-- reward_fulfilment_queue, so that a committed change always has its job
-- and a rolled-back one none. On one PostgreSQL they write river_job. On
-- Citus the triggers that call them run on the worker holding the tenant's
-- shard, where river_job (a local table of the coordinator) does not exist
-- and which a trigger on a shard may not reach anyway: there the functions
-- write the job here instead, into the tenant's own shard, in the same
-- transaction, and job_outbox_move (River's role, on the coordinator) moves
-- each row into river_job once, deleting it in the statement that queues it.
--
-- Who may do what:
--   tandem_referee  INSERT, through the SECURITY DEFINER queue functions:
--                   only a job of the transaction's own tenant (its
--                   policy), whose arguments name that tenant (the CHECK).
--   tandem_jobs     SELECT and DELETE, only where no tenant is set, as on
--                   River's own connections (the policies below).
--   tandem_app      nothing: a job's arguments and its fate are River's.

-- +goose Up
CREATE TABLE job_outbox (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  -- In time order (ms): with created_at, the order the mover takes them.
  id           text NOT NULL DEFAULT new_sorted_id('job'),
  -- What River's insert would be given. The checks are river_job's own, so
  -- that no row the outbox accepts makes the mover's batch fail (and the
  -- batch after it, forever).
  kind         text NOT NULL CHECK (char_length(kind) > 0 AND char_length(kind) < 128),
  queue        text NOT NULL CHECK (char_length(queue) > 0 AND char_length(queue) < 128),
  max_attempts smallint NOT NULL CHECK (max_attempts > 0),
  args         jsonb NOT NULL,
  -- When the tenant's transaction decided the job: the moved job is
  -- created and due then, as if River's insert had run in that transaction.
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- A job names the tenant whose row it is: the referee's policy checks
  -- the row's tenant_id, this ties the worker's arguments to it, so no tenant
  -- queues work on another's rows (as river_job_queued_by_tenant does on
  -- river_job).
  CONSTRAINT job_outbox_args_tenant CHECK (jsonb_typeof(args) = 'object' AND args ->> 'tenant_id' = tenant_id::text)
);
-- The mover takes the oldest first, each of a batch at most once.
CREATE INDEX job_outbox_oldest ON job_outbox (created_at, id);

-- Row-level security, forced, with a policy for each role that may touch
-- a row and none for anyone else (so not enable_tenant_rls's tenant policy
-- for every role, which would show tandem_jobs its tenant's rows inside a
-- tenant's transaction): as on river_job (migrations/always/river.sql). No
-- restrictive policy either: Citus 13.2 copies policies onto its shards
-- without AS RESTRICTIVE, so one would widen what it was meant to narrow.
ALTER TABLE job_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_outbox FORCE ROW LEVEL SECURITY;
GRANT INSERT ON job_outbox TO tandem_referee;
GRANT SELECT, DELETE ON job_outbox TO tandem_jobs;
-- The queue functions (as tandem_referee) insert a job of the
-- transaction's tenant only; with the CHECK above, a job that names only
-- that tenant.
CREATE POLICY job_outbox_queued_by_tenant ON job_outbox FOR INSERT TO tandem_referee
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- tandem_jobs, which tandem_app may become, reads and deletes jobs only
-- outside a tenant's transaction, as on River's own connections: inside
-- one it sees none, not even the tenant's own, and moves none.
CREATE POLICY job_outbox_moved_outside_tenants ON job_outbox FOR ALL TO tandem_jobs
  USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL)
  WITH CHECK (NULLIF(current_setting('app.tenant_id', true), '') IS NULL);
