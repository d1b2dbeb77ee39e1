-- A webhook message's id, in the shape of new_sorted_id('msg') (msg_, the
-- millisecond in 12 hex digits, 20 more) whose first 3 digits after the
-- millisecond are the microsecond within it, kept strictly increasing
-- within the transaction: so ids sort in the order the messages were
-- recorded, which new_sorted_id's random digits did not promise within a
-- millisecond (a claim, its steps and its completion are often recorded in
-- the same one). Messages about one object are recorded in the order their
-- changes commit (each change holds the object's row lock until it
-- commits, and the next records after it), so sorting a receiver's
-- messages about one object by id puts them in commit order, as the
-- node's clock reads. The remaining 17 digits are random.
CREATE OR REPLACE FUNCTION new_message_id() RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  us bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
  last_us bigint := nullif(current_setting('tandem.last_message_us', true), '')::bigint;
BEGIN
  IF us <= last_us THEN
    us := last_us + 1;
  END IF;
  PERFORM set_config('tandem.last_message_us', us::text, true);
  RETURN 'msg_' || lpad(to_hex(us / 1000), 12, '0') || lpad(to_hex(us % 1000), 3, '0')
    || substr(encode(sha256(uuid_send(gen_random_uuid())), 'hex'), 1, 17);
END
$$;

ALTER FUNCTION new_message_id() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION new_message_id() FROM PUBLIC;
