-- Only a live secret key mints tokens: a publishable key is public, and a
-- revoked key mints nothing, whatever the caller checked before.
CREATE OR REPLACE FUNCTION widget_tokens_minted_by_live_secret() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.tenant_id = NEW.tenant_id AND k.id = NEW.key_id
                 AND k.kind = 'secret' AND k.revoked_at IS NULL) THEN
    RAISE EXCEPTION 'widget tokens are minted by a live secret key, not %', NEW.key_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'widget_token_key', DETAIL = 'constraint "widget_token_key"', TABLE = 'widget_tokens';
  END IF;
  RETURN NEW;
END
$$;
