-- A new endpoint counts the tenant's endpoints already there, enabled or
-- not (a disabled one is enabled again without a new row), under the
-- tenant's plan-limit lock, so two creations at the cap cannot both pass.
CREATE OR REPLACE FUNCTION webhook_endpoints_within_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  m integer := webhook_endpoints_cap(NEW.tenant_id);
BEGIN
  PERFORM lock_plan_limit(NEW.tenant_id, 'webhook_endpoints');
  IF (SELECT count(*) FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id) >= m THEN
    PERFORM plan_limit_reached('webhook_endpoints', m);
  END IF;
  RETURN NEW;
END
$$;
