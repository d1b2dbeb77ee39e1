-- The rollups are written by the triggers below and by nothing else: a
-- write straight from a statement (trigger depth 0) is refused, so no code
-- path can make the dashboard disagree with the base tables. The WHEN
-- clause keeps the triggers' own writes free of any call.
CREATE OR REPLACE FUNCTION rollups_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION '% is maintained by triggers only', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = 'rollup_maintained_by_triggers', DETAIL = 'constraint "rollup_maintained_by_triggers"', TABLE = TG_TABLE_NAME;
END
$$;
