-- Login throttling in one step, with backoff instead of a lock-out.
--
-- An attempt is reserved before the password is checked, in the same
-- statement that decides whether it may happen at all, so a hundred parallel
-- guesses cannot all pass the check before any is counted. A success gives
-- the reservation back (the application deletes the account's keys).
--
-- Keys are 'email:', 'addr:' or 'pair:' (the e-mail at one address) followed
-- by a hex SHA-256. Past its free attempts a key waits first_wait, doubling at
-- each further attempt up to max_wait: the application gives the pair and the
-- address long waits and the e-mail alone a short cap, so that guesses from
-- anywhere slow down while the owner, at their own address, is never locked
-- out for long.

-- +goose Up
ALTER TABLE login_attempts
  DROP CONSTRAINT login_attempts_key_check,
  ADD CONSTRAINT login_attempts_key_check CHECK (key ~ '^(email|addr|pair):[0-9a-f]{64}$'),
  DROP CONSTRAINT login_attempts_failures_check,
  ADD CONSTRAINT login_attempts_failures_check CHECK (failures >= 0),
  -- No attempt for this key before then.
  ADD COLUMN blocked_until timestamptz NOT NULL DEFAULT '-infinity';

-- Reserves one attempt for every key, or none: returns 0 when the attempt
-- may go ahead (each key now counts it), else the seconds until the longest
-- wait among the keys ends (nothing counted). Rows are locked in key order,
-- so concurrent calls queue instead of deadlocking. A window that began
-- p_window seconds ago or more starts over.
-- +goose StatementBegin
CREATE FUNCTION reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait float8[], p_max_wait float8[], p_window float8)
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
  IF wait IS NOT NULL THEN
    RETURN wait;
  END IF;

  UPDATE login_attempts a
  SET failures = a.failures + 1,
      blocked_until = CASE WHEN a.failures + 1 < p.free THEN '-infinity'
                           ELSE now() + make_interval(secs => least(p.max_wait, p.first_wait * 2 ^ (a.failures + 1 - p.free))) END
  FROM unnest(p_keys, p_free, p_first_wait, p_max_wait) AS p(key, free, first_wait, max_wait)
  WHERE a.key = p.key;
  RETURN 0;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION reserve_login_attempt(text[], integer[], float8[], float8[], float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reserve_login_attempt(text[], integer[], float8[], float8[], float8) TO tandem_app;

-- +goose Down
DROP FUNCTION reserve_login_attempt(text[], integer[], float8[], float8[], float8);
DELETE FROM login_attempts WHERE key LIKE 'pair:%' OR failures = 0;
ALTER TABLE login_attempts
  DROP COLUMN blocked_until,
  DROP CONSTRAINT login_attempts_failures_check,
  ADD CONSTRAINT login_attempts_failures_check CHECK (failures > 0),
  DROP CONSTRAINT login_attempts_key_check,
  ADD CONSTRAINT login_attempts_key_check CHECK (key ~ '^(email|addr):[0-9a-f]{64}$');
