-- A campaign version published; the message names the campaign by slug, as
-- the API does, and the version in its facts.
CREATE OR REPLACE FUNCTION campaign_versions_webhooks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  slug text;
BEGIN
  SELECT c.slug INTO slug FROM campaigns c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.campaign_id;
  PERFORM webhook_record(NEW.tenant_id, 'campaign.published', slug, jsonb_build_object('version', NEW.version));
  RETURN NULL;
END
$$;
