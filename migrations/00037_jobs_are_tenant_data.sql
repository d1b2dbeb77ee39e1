-- Jobs are tenant data. A job's arguments name a tenant and its rows (a
-- reward, a delivery), and its errors quote Stripe's answers about them;
-- River's tables have no tenant_id and River's client reads every job, so
-- no tenant policy can bind them. They get a role of their own instead:
--
-- tandem_jobs  NOLOGIN; River's client works as it (jobs.OpenPool switches
--              to it right after connecting) and it alone holds River's
--              tables, and only outside a tenant's transaction
--              (migrations/always/river.sql, which also takes every
--              privilege on them from tandem_app: River creates its tables
--              after these migrations).
--
-- Inside a tenant's transaction, tandem_app reads, changes and deletes no job
-- and queues one only through webhook_queue and reward_fulfilment_queue,
-- which write as tandem_referee, whose row-level security policy on river_job
-- accepts only a job of the transaction's own tenant.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tandem_jobs') THEN
    CREATE ROLE tandem_jobs NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
-- +goose StatementEnd

-- River's pool logs in as tandem_app (or as the owner on a one-URL
-- deployment) and SETs ROLE tandem_jobs, which needs membership. NOINHERIT
-- keeps that membership from lending tandem_app the privileges themselves:
-- tandem_app has them only after SET ROLE, and even then sees no job inside
-- a tenant's transaction (river.sql). It is a member of nothing else, which
-- a catalog test keeps so.
ALTER ROLE tandem_app NOINHERIT;
GRANT tandem_jobs TO tandem_app;
GRANT tandem_jobs TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tandem_jobs;

-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner:
-- granted for these statements only, as 00012_referee.sql does. EXECUTE
-- stays as 00020 and 00026 granted it: tandem_app and tandem_referee, not
-- PUBLIC.
GRANT CREATE ON SCHEMA public TO tandem_referee;
REVOKE CREATE ON SCHEMA public FROM tandem_referee;
