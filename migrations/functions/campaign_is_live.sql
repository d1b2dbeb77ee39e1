CREATE OR REPLACE FUNCTION campaign_is_live(c campaigns) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN c.status = 'active'
     AND (c.starts_at IS NULL OR c.starts_at <= now())
     AND (c.ends_at IS NULL OR now() < c.ends_at);
END
$$;
