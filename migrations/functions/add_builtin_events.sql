-- A new tenant's built-in events: those the engine itself records. Called
-- by models.InsertTenant in the transaction that creates the tenant. It was
-- a trigger on tenants, but on Citus tenants is a reference table, whose
-- triggers cannot write a distributed table such as event_definitions.
CREATE OR REPLACE FUNCTION add_builtin_events(p_tenant_id uuid) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO event_definitions (tenant_id, name, description, builtin)
  VALUES (p_tenant_id, 'invitation_claimed', 'Recorded by Tandem when the guest claims an invitation or signs up with a referrer code.', true);
END
$$;
