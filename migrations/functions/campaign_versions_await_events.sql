-- The barrier: publishing waits for every event in flight that may have
-- stored a step's name without seeing it as a step. The locks are taken in
-- a block that is then undone, which releases them at once (a lock taken
-- after a savepoint goes when the savepoint is rolled back), so that the
-- new events of these names wait for no longer than the barrier itself;
-- they see the steps, since the draft was committed before this
-- transaction (the API and the console save a draft in a request of its
-- own; a draft saved and published in one transaction has no such
-- guarantee).
CREATE OR REPLACE FUNCTION campaign_versions_await_events() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  BEGIN
    PERFORM lock_event_names(NEW.tenant_id, ARRAY(
      SELECT s.event_name FROM campaign_version_steps s
      WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.campaign_id AND s.version = NEW.version), true);
    RAISE EXCEPTION 'every event in flight of these steps has committed' USING ERRCODE = 'TDB01';
  EXCEPTION WHEN SQLSTATE 'TDB01' THEN
    NULL; -- the block is undone and its locks released
  END;
  RETURN NEW;
END
$$;
