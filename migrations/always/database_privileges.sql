-- Applied by models.Migrate after the migrations, every time: privileges on
-- the database itself are not copied by CREATE DATABASE … TEMPLATE nor kept
-- by a dump, so no migration can set them once and for all.
--
-- Nobody but the owner may create temporary tables or schemas here. A
-- temporary table is looked up before the real one by any function that does
-- not pin its search_path (all of ours do, and a catalog test keeps it so),
-- and tandem_app has no business creating objects of any kind.
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY, CREATE ON DATABASE %I FROM PUBLIC, tandem_app, tandem_definer, tandem_referee',
                 current_database());
END
$$;

-- A deleted account's purge (purge_tenant, as tandem_purger) reads and
-- deletes the tenant's rows of every table that holds some, and the tenant
-- itself: granted here, on every migration and only where missing, so that
-- a tenant table any later migration adds is covered without that
-- migration having to remember (row-level security still binds the purger
-- to its transaction's tenant).
--
-- On Citus a GRANT on a distributed table reaches its shards over parallel
-- connections, after which the transaction may not grant on a reference
-- table (tenants): one connection per node, as migrations do (a placeholder
-- setting on plain PostgreSQL).
DO $$
DECLARE
  t regclass;
BEGIN
  PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  FOR t IN SELECT c.oid FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND (c.relname = 'tenants' OR EXISTS (SELECT FROM pg_attribute a
                                                     WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
              AND NOT (has_table_privilege('tandem_purger', c.oid, 'SELECT') AND has_table_privilege('tandem_purger', c.oid, 'DELETE'))
  LOOP
    EXECUTE format('GRANT SELECT, DELETE ON %s TO tandem_purger', t);
  END LOOP;
END
$$;
