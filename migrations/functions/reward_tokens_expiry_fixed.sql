CREATE OR REPLACE FUNCTION reward_tokens_expiry_fixed() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'reward % keeps the expiry it was issued with', OLD.id
    USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked', DETAIL = 'constraint "reward_never_revoked"';
END
$$;
