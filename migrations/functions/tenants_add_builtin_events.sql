-- Every tenant starts with the built-in events the engine itself records.
CREATE OR REPLACE FUNCTION tenants_add_builtin_events() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO event_definitions (tenant_id, name, description, builtin)
  VALUES (NEW.id, 'invitation_claimed', 'Recorded by Tandem when the guest claims an invitation or signs up with a referrer code.', true);
  RETURN NEW;
END
$$;
