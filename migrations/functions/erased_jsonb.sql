-- erased_jsonb is doc with every string equal to one of olds replaced: by
-- pseudonym when it is the participant's old external id (olds[1]), so that
-- what is kept about them (an audit entry's raffle entries, a webhook
-- snapshot's host) still names one participant consistently, and by ''
-- otherwise; so is a string that quotes one of olds of 6 characters or
-- more (an e-mail inside a sentence; shorter values only when whole, so
-- that a short external id blanks no unrelated text). Keys, numbers and other strings stay as they were. Pure: it
-- reads no table.
CREATE OR REPLACE FUNCTION erased_jsonb(doc jsonb, olds text[], pseudonym text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
BEGIN
  CASE jsonb_typeof(doc)
  WHEN 'object' THEN
    RETURN coalesce((SELECT jsonb_object_agg(k, erased_jsonb(v, olds, pseudonym)) FROM jsonb_each(doc) AS e(k, v)), '{}'::jsonb);
  WHEN 'array' THEN
    RETURN coalesce((SELECT jsonb_agg(erased_jsonb(v, olds, pseudonym) ORDER BY n)
                     FROM jsonb_array_elements(doc) WITH ORDINALITY AS e(v, n)), '[]'::jsonb);
  WHEN 'string' THEN
    IF doc #>> '{}' = olds[1] THEN
      RETURN to_jsonb(pseudonym);
    ELSIF doc #>> '{}' = ANY (olds)
          OR EXISTS (SELECT 1 FROM unnest(olds) o WHERE length(o) >= 6 AND strpos(doc #>> '{}', o) > 0) THEN
      RETURN '""'::jsonb;
    END IF;
    RETURN doc;
  ELSE
    RETURN doc;
  END CASE;
END
$$;
