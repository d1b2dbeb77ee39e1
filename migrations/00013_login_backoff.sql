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
