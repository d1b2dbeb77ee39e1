-- A tenant starts unmetered or on the free plan, never on a paid one.
CREATE OR REPLACE FUNCTION tenants_start_free() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NEW.plan IS DISTINCT FROM 'free' AND NEW.plan IS NOT NULL THEN
    RAISE EXCEPTION 'a tenant starts on the free plan or unmetered, not on %', NEW.plan
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_starts_free';
  END IF;
  RETURN NEW;
END
$$;
