-- Rejects UPDATE and DELETE on append-only tables (events, audit log, raffle
-- results). The constraint name tells the application which rule it broke.
CREATE OR REPLACE FUNCTION forbid_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;
