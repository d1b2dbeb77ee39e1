-- A host's counter is the host's highest completion number in the
-- campaign: it starts at one, created by the host's first completion (the
-- row exists as long as the host holds a number: its primary key refuses
-- a second start), and then only ever moves to the highest number its
-- invitations hold (invitations_completed, once a statement). Numbers are taken one after the other under the counter's
-- lock (invitations_before_update) and never twice (completion_number_once),
-- so the counter is also how many of the host's invitations completed.
CREATE OR REPLACE FUNCTION host_completions_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  highest integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.completed <> 1 THEN
      RAISE EXCEPTION 'a host completion counter starts at one'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up', DETAIL = 'constraint "host_completions_count_up"';
    END IF;
    RETURN NEW;
  END IF;
  SELECT max(i.completion_number) INTO highest
  FROM invitations i
  WHERE i.tenant_id = NEW.tenant_id AND i.campaign_id = NEW.campaign_id AND i.host_id = NEW.host_id;
  IF NEW.completed IS DISTINCT FROM highest OR NEW.completed < OLD.completed
     OR (NEW.tenant_id, NEW.campaign_id, NEW.host_id) IS DISTINCT FROM (OLD.tenant_id, OLD.campaign_id, OLD.host_id) THEN
    RAISE EXCEPTION 'a host completion counter only moves up, to the host''s highest completion number'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up', DETAIL = 'constraint "host_completions_count_up"';
  END IF;
  RETURN NEW;
END
$$;
