-- Distribution on Citus (docs/scale.md). models.Migrate runs this file last,
-- on every run, only when the database has the citus extension; on plain
-- PostgreSQL nothing here runs. It places what is not yet placed, so a
-- database distributed by an earlier release only gains the tables added
-- since.
--
-- Every table with a tenant_id is hash-distributed by it, co-located with
-- events: a tenant's rows of every table live on one worker, where its
-- transactions and the foreign keys between its rows stay local. Three
-- global tables are reference tables, copied to every node: plans, tenants
-- (read beside every tenant row, written rarely) and invite_codes (a code is
-- unique across tenants, which only a table held whole can check). What has
-- no tenant_id (sessions, login throttles, River's tables, goose's) stays on
-- the coordinator.

-- Triggers on distributed tables: Citus refuses them by default because a
-- trigger on a shard may only reach the rows of its own node. Tandem's
-- triggers keep to that (each statement a trigger runs names the tenant of
-- the row it fires for, so it routes to a co-located shard on the same node),
-- and the schema's rules live in them, so they are allowed here and in
-- models.Migrate's transaction that applies the triggers.
SET LOCAL citus.enable_unsafe_triggers = on;
-- One transaction distributes a table and then adds foreign keys to it,
-- which Citus allows only over one connection per node.
SET LOCAL citus.multi_shard_modify_mode = 'sequential';

DO $$
DECLARE
  reference_tables constant text[] := ARRAY['plans', 'tenants', 'invite_codes'];
  anchor constant text := 'events';
  -- The two forms of the tenant in a policy (00079).
  bare constant text := $e$(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid$e$;
  once constant text := $e$( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)$e$;
  placed text[];
  todo text[];
  t text;
BEGIN
  -- A new table with a foreign key to a reference table is already in
  -- Citus's metadata, as a local table on the coordinator: still to place.
  SELECT coalesce(array_agg(table_name::text), '{}') INTO placed
    FROM citus_tables WHERE citus_table_type IN ('distributed', 'reference');

  -- The tables to place: the reference tables, then every tenant table, the
  -- anchor of the co-location group first.
  SELECT array_agg(c.relname::text ORDER BY array_position(reference_tables, c.relname::text), c.relname <> anchor, c.relname)
    INTO todo
    FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
     AND NOT c.relname::text = ANY (placed)
     AND (c.relname::text = ANY (reference_tables)
          OR EXISTS (SELECT FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped));
  IF todo IS NULL THEN
    RETURN;
  END IF;

  -- Citus refuses a foreign key between a placed table and one it does not
  -- hold, either way round: the foreign keys that touch a table to place are
  -- dropped first and re-created once every table is placed, each then
  -- checked again by PostgreSQL over the co-located shards.
  CREATE TEMP TABLE citus_foreign_keys ON COMMIT DROP AS
  SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
    FROM pg_constraint
   WHERE contype = 'f' AND connamespace = 'public'::regnamespace
     AND (conrelid::regclass::text = ANY (todo) OR confrelid::regclass::text = ANY (todo));
  FOR t IN SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, name) FROM citus_foreign_keys LOOP
    EXECUTE t;
  END LOOP;

  -- Citus refuses a subquery in a policy ("Subqueries are not supported in
  -- policies on distributed tables"): a table's policies read the tenant
  -- bare again, once a row, before it is placed (00079).
  FOR t IN
    SELECT format('ALTER POLICY %I ON public.%I', p.policyname, p.tablename)
           || coalesce(' USING (' || replace(p.qual, once, bare) || ')', '')
           || coalesce(' WITH CHECK (' || replace(p.with_check, once, bare) || ')', '')
      FROM pg_policies p
     WHERE p.schemaname = 'public' AND p.tablename = ANY (todo)
       AND (strpos(p.qual, once) > 0 OR strpos(p.with_check, once) > 0)
  LOOP
    EXECUTE t;
  END LOOP;

  FOREACH t IN ARRAY todo LOOP
    IF t = ANY (reference_tables) THEN
      PERFORM create_reference_table(t);
    ELSIF t = anchor THEN
      PERFORM create_distributed_table(t, 'tenant_id', shard_count => 32);
    ELSE
      PERFORM create_distributed_table(t, 'tenant_id', colocate_with => anchor);
    END IF;
  END LOOP;

  FOR t IN SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, name, def) FROM citus_foreign_keys LOOP
    EXECUTE t;
  END LOOP;
END
$$;

-- Citus serialises the writes to a reference table with a lock on the
-- reference tables its foreign keys point at (tenants → plans, invite_codes
-- → tenants) and on the table itself, and grants that lock only to a role
-- that could update, delete or truncate the table it locks (a privilege on
-- one column is enough). The roles that write those tables are given UPDATE
-- where they lack it, and row-level security with no policy that lets an
-- UPDATE through (plans), or a trigger that refuses every change
-- (invite_codes), keeps every row out of its reach: the grant buys the lock
-- and nothing else. (Not a restrictive policy: Citus copies those onto the
-- shards as permissive ones, 00045.)
--
-- Each statement of a DO block's own: Citus sends some statements to the
-- workers as the text they came in, which must then be one statement.
DO $$
BEGIN
  EXECUTE 'ALTER TABLE plans ENABLE ROW LEVEL SECURITY';
  EXECUTE 'DROP POLICY IF EXISTS readable ON plans';
  EXECUTE 'CREATE POLICY readable ON plans FOR SELECT USING (true)';
  EXECUTE 'GRANT UPDATE ON plans TO tandem_app, tandem_referee, tandem_purger';
  -- tandem_app writes invite_codes (register_code); a code never changes
  -- whatever the grant (the trigger invite_codes_append_only).
  EXECUTE 'GRANT UPDATE (kind) ON invite_codes TO tandem_app';
END
$$;

-- Citus writes a row to a shard with every column named, defaults
-- included, so a column-level INSERT grant refuses every insert: the
-- tenants grant of 00025 becomes table-wide, and tenants_start_free refuses
-- the billing columns instead.
GRANT INSERT ON tenants TO tandem_app;

-- Ingestion runs whole on the worker that holds the tenant: Citus delegates
-- each call of ingest_events to the node of the tenant its p_tenant_id
-- names, where the function's statements, locks and triggers stay in one
-- local transaction, and where a claim's trigger takes the same guest locks
-- (design §2.7).
DO $$
BEGIN
  PERFORM create_distributed_function('ingest_events(uuid,text[],text[],text[],timestamptz[],jsonb[])',
    'p_tenant_id', colocate_with => 'events', force_delegation => true);
END
$$;
-- A migration's batch runs whole on the tenant's worker too, for the same
-- reasons: its locks, its invitations' triggers and the migration's row in
-- one local transaction.
DO $$
BEGIN
  PERFORM create_distributed_function('migrate_inflight_batch(uuid,text,integer,integer)',
    'p_tenant_id', colocate_with => 'events', force_delegation => true);
END
$$;
-- ingest_events pins generic plans on one node (its file says why). On a
-- worker, Citus makes a generic plan of a statement whose tenant is a
-- parameter only for a lookup of one table by the tenant (a "fast path"
-- query), and then keeps its shard's plan too; any other statement it can
-- route only when the tenant is a value in it. With auto, PostgreSQL keeps
-- the plans of the first kind and plans the others for their values on
-- every call (forcing custom plans re-planned the lookups too: about 250
-- µs of a single event's time each, against about 50).
ALTER FUNCTION ingest_events(uuid,text[],text[],text[],timestamptz[],jsonb[]) SET plan_cache_mode = auto;

-- Erasure runs whole on the tenant's worker too. Its statements write as
-- tandem_eraser and the webhook it records writes as tandem_referee, and
-- Citus refuses a second user on a placement the first wrote in the same
-- transaction over another connection; delegated, both run in the worker's
-- own transaction. Its plans likewise need the tenant as a value.
DO $$
BEGIN
  PERFORM create_distributed_function('erase_participant(uuid,text)',
    'p_tenant_id', colocate_with => 'events', force_delegation => true);
  PERFORM create_distributed_function('erase_event_properties(uuid,timestamptz,integer)',
    'p_tenant_id', colocate_with => 'events', force_delegation => true);
END
$$;
ALTER FUNCTION erase_participant(uuid,text) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION erase_event_properties(uuid,timestamptz,integer) SET plan_cache_mode = force_custom_plan;
