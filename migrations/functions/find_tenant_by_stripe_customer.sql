CREATE OR REPLACE FUNCTION find_tenant_by_stripe_customer(p_customer text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT t.id FROM tenants t WHERE t.stripe_customer_id = p_customer $$;

ALTER FUNCTION find_tenant_by_stripe_customer(text) OWNER TO tandem_definer;
REVOKE ALL ON FUNCTION find_tenant_by_stripe_customer(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_tenant_by_stripe_customer(text) TO tandem_app;
