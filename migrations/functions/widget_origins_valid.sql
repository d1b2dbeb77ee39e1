-- An exact browser origin: scheme and host, an optional port, nothing else
-- (no path, no trailing slash, no user, lower case), as a browser sends it
-- in the Origin header, so that the widget can compare them as strings.
CREATE OR REPLACE FUNCTION widget_origins_valid(p_origins text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp
AS $$
  SELECT cardinality(p_origins) <= 20
     AND coalesce(bool_and(o ~ '^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$'), true)
     AND count(DISTINCT o) = count(*)
  FROM unnest(p_origins) o
$$;
