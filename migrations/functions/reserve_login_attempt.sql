-- Reserves one attempt for every key, or none: returns 0 when the attempt
-- may go ahead (each key now counts it), else the seconds until the longest
-- wait among the keys ends. A refused attempt is counted too, on the keys
-- whose p_count_refused is true, and re-arms their wait as a guess would.
-- Rows are locked in key order, so concurrent calls queue instead of
-- deadlocking. A window that began p_window seconds ago or more starts over.
CREATE OR REPLACE FUNCTION reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait float8[], p_max_wait float8[],
  p_count_refused boolean[], p_window float8)
RETURNS float8
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  wait float8;
BEGIN
  INSERT INTO login_attempts (key, window_start, failures)
  SELECT k, now(), 0 FROM unnest(p_keys) k ORDER BY k
  ON CONFLICT (key) DO NOTHING;
  PERFORM 1 FROM login_attempts WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE;
  UPDATE login_attempts SET window_start = now(), failures = 0, blocked_until = '-infinity'
  WHERE key = ANY (p_keys) AND window_start <= now() - make_interval(secs => p_window);

  -- A wait never outlasts the key's window, which starts over when it ends.
  SELECT max(extract(epoch FROM least(blocked_until, window_start + make_interval(secs => p_window)) - now())) INTO wait
  FROM login_attempts WHERE key = ANY (p_keys) AND blocked_until > now();

  UPDATE login_attempts a
  SET failures = a.failures + 1,
      blocked_until = CASE WHEN a.failures + 1 < p.free THEN '-infinity'
                           ELSE now() + make_interval(secs => least(p.max_wait, p.first_wait * 2 ^ (a.failures + 1 - p.free))) END
  FROM unnest(p_keys, p_free, p_first_wait, p_max_wait, p_count_refused) AS p(key, free, first_wait, max_wait, count_refused)
  WHERE a.key = p.key AND (wait IS NULL OR p.count_refused);
  RETURN coalesce(wait, 0);
END
$$;

REVOKE ALL ON FUNCTION reserve_login_attempt(text[],integer[],double precision[],double precision[],boolean[],double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reserve_login_attempt(text[],integer[],double precision[],double precision[],boolean[],double precision) TO tandem_app;
