CREATE OR REPLACE FUNCTION plan_limit_reached(p_limit text, p_max integer) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'the plan allows at most % %', p_max, replace(p_limit, '_', ' ')
    USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_limit_' || p_limit,
      DETAIL = format('constraint "plan_limit_%s"', p_limit);
END
$$;
