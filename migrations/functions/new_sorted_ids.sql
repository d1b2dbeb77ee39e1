-- n time-ordered ids (00014, 00030): the clock is read once for all of
-- them, and their 80 random bits are SHA-256 of one UUID drawn per call
-- (122 random bits, the secret) and the id's number. Unpredictable without
-- the secret, as before, and unique as a hash of distinct inputs is, at a
-- fraction of a UUID's cost per id (1,000 ids: about 2 ms instead of 4).
-- The random parts are handed out in ascending order, so that the ids of
-- one call sort as their positions do: the first event of a batch to send
-- a name is the one its (participant, name) pair keeps (events_record_names
-- keeps the lowest id).
CREATE OR REPLACE FUNCTION new_sorted_ids(prefix text, n integer) RETURNS text[]
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
DECLARE
  head text := prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0');
  secret bytea := uuid_send(gen_random_uuid());
BEGIN
  RETURN ARRAY(SELECT head || r.tail
               FROM (SELECT substr(encode(sha256(secret || int4send(i)), 'hex'), 1, 20) COLLATE "C" AS tail
                     FROM generate_series(1, n) AS i) r
               ORDER BY r.tail);
END
$$;
