-- Draws a fresh code and reserves it in the registry for the transaction's
-- tenant, drawing again on the rare collision with any tenant's code. The
-- statement that calls it inserts the invitation or referrer code that uses
-- it (their foreign keys to invite_codes): on Citus it runs on the
-- coordinator, before the row goes to the tenant's worker.
CREATE OR REPLACE FUNCTION register_code(p_kind text) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp
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

-- It runs as its caller, tandem_app, which registers codes itself (00044):
-- referrer_codes.code's default and models' invitations call it. Its owner
-- is the schema's, as an earlier release's tandem_referee was.
ALTER FUNCTION register_code(text) OWNER TO CURRENT_USER;
REVOKE ALL ON FUNCTION register_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION register_code(text) TO tandem_app;
