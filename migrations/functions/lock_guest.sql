CREATE OR REPLACE FUNCTION lock_guest(p_guest_id text, p_exclusive boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$ BEGIN PERFORM lock_guests(ARRAY[p_guest_id], p_exclusive); END $$;
