-- Draws a fresh code and reserves it in the registry, drawing again on the
-- rare collision with any tenant's code.
CREATE OR REPLACE FUNCTION register_code(p_kind text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  candidate text;
BEGIN
  LOOP
    candidate := new_code();
    INSERT INTO invite_codes (code, kind) VALUES (candidate, p_kind) ON CONFLICT DO NOTHING;
    IF FOUND THEN
      RETURN candidate;
    END IF;
  END LOOP;
END
$$;

-- Codes: drawn at random by the schema. The caller cannot insert a code of
-- its choosing, and so cannot learn whether another tenant holds it.
-- Column defaults and invitations_before_insert call it as tandem_app; a
-- direct call only draws one more random code for the caller's own tenant.
ALTER FUNCTION register_code(text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION register_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION register_code(text) TO tandem_app;
