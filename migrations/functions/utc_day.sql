CREATE OR REPLACE FUNCTION utc_day(t timestamptz) RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ BEGIN RETURN (t AT TIME ZONE 'UTC')::date; END $$;
