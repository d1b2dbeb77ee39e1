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
-- +goose StatementBegin
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
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reward_fulfilment_queue(p_tenant_id uuid, p_reward_id text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO river_job (kind, queue, max_attempts, args)
  VALUES ('reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', p_tenant_id, 'reward_id', p_reward_id));
  PERFORM pg_notify('public.river_insert', '{"queue": "default"}');
END
$$;
-- +goose StatementEnd

-- ALTER FUNCTION ... OWNER TO needs CREATE on the schema for the new owner:
-- granted for these statements only, as 00012_referee.sql does. EXECUTE
-- stays as 00020 and 00026 granted it: tandem_app and tandem_referee, not
-- PUBLIC.
GRANT CREATE ON SCHEMA public TO tandem_referee;
ALTER FUNCTION webhook_queue(uuid, text[]) OWNER TO tandem_referee;
ALTER FUNCTION reward_fulfilment_queue(uuid, text) OWNER TO tandem_referee;
REVOKE CREATE ON SCHEMA public FROM tandem_referee;
REVOKE ALL ON FUNCTION webhook_queue(uuid, text[]), reward_fulfilment_queue(uuid, text) FROM PUBLIC;
