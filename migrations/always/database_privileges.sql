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
