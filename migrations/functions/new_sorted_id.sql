CREATE OR REPLACE FUNCTION new_sorted_id(prefix text) RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ BEGIN RETURN (new_sorted_ids(prefix, 1))[1]; END $$;
