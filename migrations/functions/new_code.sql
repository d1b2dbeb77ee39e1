-- Invite and referrer codes: 8 symbols from a 32-symbol alphabet without
-- 0/O/1/I (40 random bits). Only the fully random bytes of a v4 UUID are used,
-- and 256 is a multiple of 32, so every symbol is equally likely.
CREATE OR REPLACE FUNCTION new_code() RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', get_byte(r.b, i.pos) % 32 + 1, 1), '' ORDER BY i.n)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) r,
       unnest(ARRAY[0, 1, 2, 3, 4, 5, 9, 10]) WITH ORDINALITY AS i(pos, n)
$$;
