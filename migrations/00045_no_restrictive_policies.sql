-- No restrictive policies on tenant tables: Citus (13.2) copies a table's
-- policies onto its shards without AS RESTRICTIVE, so on a worker a
-- restrictive policy becomes permissive and widens what it was meant to
-- narrow (docs/scale.md). The reserved event name's rule (00012, 00032)
-- moves into the tenant policy's WITH CHECK of events and
-- participant_event_names: tandem_app may still not write
-- invitation_claimed; the referee's functions (record_claim_event, and the
-- trigger that records the name) may, within the transaction's tenant.

-- +goose Up
DROP POLICY events_not_reserved ON events;
ALTER POLICY tenant_isolation ON events
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND (name <> 'invitation_claimed' OR current_user <> 'tandem_app'));

DROP POLICY participant_event_names_not_reserved ON participant_event_names;
ALTER POLICY tenant_isolation ON participant_event_names
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND (name <> 'invitation_claimed' OR current_user <> 'tandem_app'));
