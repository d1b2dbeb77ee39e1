-- What moving a campaign's in-flight invitations (claimed, not complete, on
-- an older version) to p_version would do to each: complete it, advance it,
-- set it back, or leave it where it is. Each is judged by quest_progress,
-- one statement per invitation: on Citus a function that reads tables
-- cannot run inside a statement sent to a worker, so it is not called per
-- row of a query on invitations.
CREATE OR REPLACE FUNCTION preview_quest_migration(p_campaign_id text, p_version integer,
  OUT in_flight integer, OUT complete integer, OUT advance integer, OUT fall_back integer, OUT unchanged integer)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- a value: on Citus it routes the statements
  steps integer;
  inv record;
  after integer;
BEGIN
  in_flight := 0; complete := 0; advance := 0; fall_back := 0; unchanged := 0;
  SELECT count(*) INTO steps FROM campaign_version_steps
   WHERE tenant_id = current_tenant AND campaign_id = p_campaign_id AND version = p_version;
  FOR inv IN
    SELECT i.guest_id, i.progress FROM invitations i
     WHERE i.tenant_id = current_tenant AND i.campaign_id = p_campaign_id
       AND i.guest_id IS NOT NULL AND i.completed_at IS NULL AND i.version < p_version
  LOOP
    after := quest_progress(p_campaign_id, p_version, inv.guest_id);
    in_flight := in_flight + 1;
    IF after = steps THEN
      complete := complete + 1;
    ELSIF after > inv.progress THEN
      advance := advance + 1;
    ELSIF after < inv.progress THEN
      fall_back := fall_back + 1;
    ELSE
      unchanged := unchanged + 1;
    END IF;
  END LOOP;
END
$$;
