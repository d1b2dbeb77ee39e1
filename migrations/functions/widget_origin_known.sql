-- Whether any tenant lets the widget run on an origin: a CORS preflight
-- carries no token, so it can only be told whether the origin is a widget
-- origin at all; the request that follows is held to its own tenant's list.
-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION widget_origin_known(p_origin text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN (SELECT EXISTS (SELECT 1 FROM widget_settings s WHERE s.allowed_origins @> ARRAY[p_origin]));
END
$$;

ALTER FUNCTION widget_origin_known(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION widget_origin_known(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION widget_origin_known(text) TO tandem_app;
