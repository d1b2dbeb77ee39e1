-- Applied by models.Migrate after River's own migrator, every time (River may
-- add tables or functions in a later version; these statements say what
-- tandem_app may do with the ones there are).
--
-- River's client runs as tandem_app, from serve's pool: it fetches, locks,
-- completes and retries jobs, elects a leader, and keeps its queues. The
-- webhook triggers insert jobs from inside tenant transactions, also as
-- tandem_app. River's tables hold no tenant data: a job's arguments name a
-- tenant and a row id, and the worker reads that row inside the tenant's
-- own transaction, under row-level security, so a job forged by one tenant
-- can reach nothing of another.
GRANT SELECT, INSERT, UPDATE, DELETE ON river_job, river_leader, river_queue, river_notification TO tandem_app;
-- River's client reads which of its migrations ran and refuses to start on
-- a schema older than it; it never writes them.
GRANT SELECT ON river_migration TO tandem_app;
GRANT USAGE ON SEQUENCE river_job_id_seq, river_notification_id_seq TO tandem_app;
-- The webhook outbox (webhook_record, SECURITY DEFINER as tandem_referee)
-- queues delivery jobs in the transaction of the change.
GRANT INSERT ON river_job TO tandem_referee;
GRANT USAGE ON SEQUENCE river_job_id_seq TO tandem_referee;
-- Every function of the schema pins its search_path (00012_referee.sql);
-- River creates this one without.
ALTER FUNCTION river_job_state_in_bitmask(bit, river_job_state) SET search_path = public, pg_temp;
