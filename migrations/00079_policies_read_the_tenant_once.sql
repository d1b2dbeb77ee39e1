-- +goose Up
-- Row-level security reads the transaction's tenant once a statement, not
-- once a row.
--
-- Every tenant policy compares a row's tenant with
-- NULLIF(current_setting('app.tenant_id', true), '')::uuid. Written bare,
-- the expression is evaluated wherever the policy is checked: for every row
-- an insert writes, and for every probe of an index from a nested loop
-- (ingestion looks up each event's participant and each event's
-- (participant, name) pair that way), each time reading the setting and
-- parsing the UUID. That was about 8% of PostgreSQL's CPU for a batched
-- event (alternated with this form on one connection). Written as a scalar
-- subquery, the same expression is an InitPlan: evaluated once, when a
-- statement first needs it, and a parameter after that (still an index key).
-- The rule is the same: the same rows are visible and writable.
--
-- Citus refuses a subquery in a policy of a table it holds ("Subqueries are
-- not supported in policies on distributed tables"): those tables keep the
-- bare form here, and always/citus.sql turns a table's policies back to it
-- before it places the table.
-- +goose StatementBegin
DO $$
DECLARE
  bare constant text := $e$(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid$e$;
  once constant text := $e$( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)$e$;
  citus constant boolean := EXISTS (SELECT FROM pg_extension WHERE extname = 'citus');
  p record;
  held boolean;
BEGIN
  FOR p IN
    SELECT pol.tablename, pol.policyname, pol.qual, pol.with_check
      FROM pg_policies pol
     WHERE pol.schemaname = 'public' AND (strpos(pol.qual, bare) > 0 OR strpos(pol.with_check, bare) > 0)
  LOOP
    IF citus THEN
      EXECUTE 'SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = $1)'
        INTO held USING format('public.%I', p.tablename)::regclass;
      CONTINUE WHEN held;
    END IF;
    EXECUTE format('ALTER POLICY %I ON public.%I', p.policyname, p.tablename)
         || coalesce(' USING (' || replace(p.qual, bare, once) || ')', '')
         || coalesce(' WITH CHECK (' || replace(p.with_check, bare, once) || ')', '');
  END LOOP;
END
$$;
-- +goose StatementEnd
