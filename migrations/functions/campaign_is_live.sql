-- A campaign is live while it is active and inside its window, by the
-- database's clock. It takes the columns, not a campaigns row: on Citus a
-- query that runs on a shard has rows of the shard's own type
-- (campaigns_102008), for which no function of the table's type exists.
CREATE OR REPLACE FUNCTION campaign_is_live(p_status text, p_starts_at timestamptz, p_ends_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT p_status = 'active' AND (p_starts_at IS NULL OR p_starts_at <= now()) AND (p_ends_at IS NULL OR now() < p_ends_at)
$$;
