CREATE OR REPLACE FUNCTION new_id(prefix text) RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ BEGIN RETURN prefix || '_' || replace(gen_random_uuid()::text, '-', ''); END $$;
