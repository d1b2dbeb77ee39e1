-- Nobody can keep an owner out of the console by guessing (docs/security.md).
--
-- The e-mail's own key ('email:') counts guesses at one account from every
-- address, capped short so that it never locks the owner out for long. But
-- a refused guess cost nothing, and every counted one re-armed the block:
-- 64 addresses guessing twice a second kept the account blocked for good,
-- and the owner's right password was refused with it. Two changes:
--   * an address the account has logged in from before is known: its
--     attempts are judged by its own keys (the e-mail at this address, the
--     address) and not by the account's, which the guessers elsewhere fill;
--   * a refused attempt counts on the keys that belong to its address, so a
--     guesser who keeps knocking while blocked waits longer each time, as if
--     the guess had been made.
-- The owner at an address never used before still meets the account's
-- block (a minute at most) while an attack goes on.

-- +goose Up
-- The (e-mail, address) pairs that logged in, by the same digest as the
-- pair's key in login_attempts: no e-mail or address is stored. A pair is
-- forgotten after a quiet spell (tenants.LoginThrottle.Sweep).
CREATE TABLE login_known_addresses (
  key           text PRIMARY KEY CHECK (key ~ '^pair:[0-9a-f]{64}$'),
  last_login_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_known_addresses_last_login_at ON login_known_addresses (last_login_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON login_known_addresses TO tandem_app;

DROP FUNCTION reserve_login_attempt(text[], integer[], float8[], float8[], float8);

-- Reserves one attempt for every key, or none: returns 0 when the attempt
-- may go ahead (each key now counts it), else the seconds until the longest
-- wait among the keys ends. A refused attempt is counted too, on the keys
-- whose p_count_refused is true, and re-arms their wait as a guess would.
-- Rows are locked in key order, so concurrent calls queue instead of
-- deadlocking. A window that began p_window seconds ago or more starts over.
-- +goose StatementBegin
CREATE FUNCTION reserve_login_attempt(p_keys text[], p_free integer[], p_first_wait float8[], p_max_wait float8[],
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
-- +goose StatementEnd
REVOKE ALL ON FUNCTION reserve_login_attempt(text[], integer[], float8[], float8[], boolean[], float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reserve_login_attempt(text[], integer[], float8[], float8[], boolean[], float8) TO tandem_app;
