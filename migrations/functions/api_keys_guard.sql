-- A revoked key stays revoked.
CREATE OR REPLACE FUNCTION api_keys_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'api key % is revoked for good', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'api_key_revoked', DETAIL = 'constraint "api_key_revoked"';
  END IF;
  RETURN NEW;
END
$$;
