CREATE OR REPLACE FUNCTION schema_version()
RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied
$$;

ALTER FUNCTION schema_version() OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION schema_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION schema_version() TO tandem_app;
