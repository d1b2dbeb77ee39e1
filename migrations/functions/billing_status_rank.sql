-- How far along its life a subscription status is: of two events created in
-- the same second (Stripe's resolution), the later status wins, whatever
-- order they arrive in.
CREATE OR REPLACE FUNCTION billing_status_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp
AS $$
  SELECT CASE p_status
    WHEN 'none' THEN 0 WHEN 'incomplete' THEN 1 WHEN 'trialing' THEN 2 WHEN 'active' THEN 3
    WHEN 'past_due' THEN 4 WHEN 'paused' THEN 5 WHEN 'unpaid' THEN 6
    WHEN 'incomplete_expired' THEN 7 WHEN 'canceled' THEN 8 END
$$;
