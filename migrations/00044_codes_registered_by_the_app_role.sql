-- Codes are registered by the tenant's own role again (00012 moved that to
-- tandem_referee): register_code runs as its caller.
--
-- On Citus every statement of a role travels over that role's own
-- connections to the workers, and a row one connection writes is invisible
-- to another until commit. A code registered by tandem_referee (a SECURITY
-- DEFINER function) was therefore invisible to the foreign key of the
-- invitation inserted next, over tandem_app's connection, in the same
-- transaction; and a function cannot be delegated to the tenant's worker
-- and write the reference table invite_codes from there (docs/scale.md).
--
-- What the registry keeps is unchanged: a code is unique across tenants,
-- well formed, bound to its tenant (the tenant policy), never changes, and
-- an invitation or referrer code can only use one registered for its tenant
-- (their foreign keys) and only once (their unique keys). What it no longer
-- refuses is a code the app chose itself rather than register_code; that
-- was never a secret kept from the app, since find_invite_code_tenant tells
-- the app whose any code is (the invite page needs it).

-- +goose Up
GRANT INSERT ON invite_codes TO tandem_app;
REVOKE INSERT ON invite_codes FROM tandem_referee;
