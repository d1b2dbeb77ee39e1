-- +goose Up

-- The newest migration applied, for serve's readiness probe (/readyz): a
-- machine whose binary carries a migration the database lacks must not be
-- routed to. tandem_app serves and may not read goose's bookkeeping, so
-- this narrow lookup answers the one number and nothing else.
GRANT SELECT (version_id, is_applied) ON goose_db_version TO tandem_definer;
