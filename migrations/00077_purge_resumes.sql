-- A deleted account's purge resumes where its last batch found rows
-- (functions/purge_tenant.sql): purge_from names that table. Without it
-- each batch probed every table already emptied before reaching the first
-- with rows, one statement each, which on Citus is a round trip to the
-- tenant's worker apiece (the purge of 100,000 rows took several times as
-- long as on one node). Only the purge writes it, as tandem_purger, and
-- only its own tenant's row (the row-level policy of tenants): tandem_app
-- cannot move it, so the order of the purge stays the function's. A name
-- that is no table of the order any more (a later release renamed it) makes
-- the purge start from the first table, as it did before.

-- +goose Up
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

ALTER TABLE tenants ADD COLUMN purge_from text;
GRANT UPDATE (purge_from) ON tenants TO tandem_purger;
