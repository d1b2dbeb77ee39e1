-- +goose Up

-- The newest migration applied, for serve's readiness probe (/readyz): a
-- machine whose binary carries a migration the database lacks must not be
-- routed to. tandem_app serves and may not read goose's bookkeeping, so
-- this narrow lookup answers the one number and nothing else.
GRANT SELECT (version_id, is_applied) ON goose_db_version TO tandem_definer;

-- +goose StatementBegin
CREATE FUNCTION schema_version()
RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied
$$;
-- +goose StatementEnd

ALTER FUNCTION schema_version() OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION schema_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION schema_version() TO tandem_app;
