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
