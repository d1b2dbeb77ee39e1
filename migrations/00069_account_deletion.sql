-- Account deletion: an owner schedules it, it can be undone for 7 days,
-- then the tenant's every row is removed (docs/security.md, "Personal
-- data").
--
-- The schedule is two columns of tenants that only the referee's
-- functions write (schedule_tenant_deletion, cancel_tenant_deletion:
-- tandem_app holds no UPDATE on them), and a CHECK that keeps the grace
-- period whoever writes them. While a deletion is scheduled the schema's
-- lookups refuse the tenant's API keys (find_api_key says why), widget
-- tokens and invite codes; the console still lets members in.
--
-- The removal goes through one function, purge_tenant, owned by a role of
-- its own, tandem_purger: it removes nothing before the tenant's
-- deletion_due_at, and only the tenant of its transaction (forced
-- row-level security binds it like any role). The guards of the rows that
-- are never deleted otherwise (events, the audit log, raffle results,
-- reward tokens, published versions, the last owner, invite codes) let a
-- delete through as tandem_purger and as no one else. tandem_app is not a
-- member of tandem_purger: it can only call the function.

-- +goose Up
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tandem_purger') THEN
    CREATE ROLE tandem_purger NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
-- +goose StatementEnd
GRANT tandem_purger TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tandem_purger;

-- When the owner asked, and when the removal may start. Both or neither;
-- never less than the 7 days of grace between them, counted as 168 hours
-- (a day across a clock change is not 24). timestamptz minus timestamptz
-- is immutable, so the CHECK means the same on every node.
ALTER TABLE tenants ADD COLUMN deletion_requested_at timestamptz;
ALTER TABLE tenants ADD COLUMN deletion_due_at timestamptz;
ALTER TABLE tenants ADD CONSTRAINT tenant_deletion_grace CHECK (
  (deletion_requested_at IS NULL) = (deletion_due_at IS NULL)
  AND deletion_due_at - deletion_requested_at >= interval '168 hours');
GRANT UPDATE (deletion_requested_at, deletion_due_at) ON tenants TO tandem_referee;

-- What the purge reads and deletes: every table that holds a tenant's
-- rows, and the tenant itself, granted by always/database_privileges.sql
-- on every migration, so that a tenant table added later is granted too.

-- The job outbox has a policy for each role that may touch a row
-- (00046_job_outbox.sql): the purger deletes the jobs of its
-- transaction's tenant only.
CREATE POLICY job_outbox_purged_with_tenant ON job_outbox FOR ALL TO tandem_purger
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (false);

-- The tenants whose deletion is due are found by the job's sweep through
-- tenants_due_for_deletion (a definer lookup), which reads the column.
GRANT SELECT (deletion_due_at) ON tenants TO tandem_definer;

-- find_api_key returns the tenant's deletion date as well, a new return
-- type, which CREATE OR REPLACE cannot give an existing function: the old
-- one goes here, and functions/find_api_key.sql creates the new one.
DROP FUNCTION IF EXISTS find_api_key(text);
