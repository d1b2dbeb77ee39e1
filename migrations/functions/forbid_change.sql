-- Rejects UPDATE and DELETE on append-only tables (events, audit log, raffle
-- results), but a delete as tandem_purger: a deleted account's purge, the
-- one path by which such rows leave. The constraint name tells the
-- application which rule it broke.
CREATE OR REPLACE FUNCTION forbid_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;
