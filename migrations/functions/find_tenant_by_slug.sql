-- The tenant of a slug.
CREATE OR REPLACE FUNCTION find_tenant_by_slug(p_slug text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT t.id FROM tenants t WHERE t.slug = p_slug $$;

ALTER FUNCTION find_tenant_by_slug(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_tenant_by_slug(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_tenant_by_slug(text) TO tandem_app;
