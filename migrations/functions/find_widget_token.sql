-- The token a hash names, with its tenant's allowed origins, when the key
-- that minted it is live. An expired token is still returned (with its
-- expiry), so the widget can say "expired" rather than "invalid"; a token of
-- a revoked key, or of an account scheduled for deletion, is not returned
-- at all.
-- PL/pgSQL, not SQL: Citus cannot plan a distributed query that uses an SQL
-- function's parameters.
CREATE OR REPLACE FUNCTION find_widget_token(p_token_hash bytea)
RETURNS TABLE (tenant_id uuid, token_id text, participant_id text, campaign_id text,
               expires_at timestamptz, allowed_origins text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT t.tenant_id, t.id, t.participant_id, t.campaign_id, t.expires_at, coalesce(s.allowed_origins, '{}')
    FROM widget_tokens t
    JOIN api_keys k ON k.tenant_id = t.tenant_id AND k.id = t.key_id AND k.revoked_at IS NULL
    JOIN tenants a ON a.id = t.tenant_id AND a.deletion_due_at IS NULL
    LEFT JOIN widget_settings s ON s.tenant_id = t.tenant_id
    WHERE t.token_hash = p_token_hash;
END
$$;

ALTER FUNCTION find_widget_token(bytea) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_widget_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_widget_token(bytea) TO tandem_app;
