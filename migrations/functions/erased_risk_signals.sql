-- erased_risk_signals is a referral's risk signals with every detail (the
-- evidence, which may quote a person) blanked, and each signal's code and
-- level kept, so the level derived from them is the same. Pure: it reads no
-- table.
CREATE OR REPLACE FUNCTION erased_risk_signals(signals jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT jsonb_agg(CASE WHEN jsonb_typeof(s) = 'object' AND s ? 'detail' THEN s || '{"detail": ""}'::jsonb ELSE s END ORDER BY n)
  FROM jsonb_array_elements(signals) WITH ORDINALITY AS e(s, n)
$$;
