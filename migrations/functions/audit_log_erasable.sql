-- The audit log is append-only, with one exception: erasure. As
-- tandem_eraser (erase_participant), an update may change an entry's
-- before and after, where an erased participant's values are replaced
-- (erased_jsonb); who acted, what, on which subject and when stay as they
-- were. Any other update, by anyone, is refused, and so is every delete but
-- a deleted account's purge, as tandem_purger (purge_tenant).
CREATE OR REPLACE FUNCTION audit_log_erasable() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND current_user = 'tandem_eraser'
     AND to_jsonb(NEW) - 'before' - 'after' = to_jsonb(OLD) - 'before' - 'after' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'append_only', DETAIL = 'constraint "append_only"', TABLE = TG_TABLE_NAME;
END
$$;
