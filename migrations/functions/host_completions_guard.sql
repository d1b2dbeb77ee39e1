-- The counter starts at one and only ever counts up by one.
CREATE OR REPLACE FUNCTION host_completions_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.completed <> 1 THEN
      RAISE EXCEPTION 'a host completion counter starts at one'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up', DETAIL = 'constraint "host_completions_count_up"';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.completed <> OLD.completed + 1 OR (NEW.tenant_id, NEW.campaign_id, NEW.host_id) IS DISTINCT FROM (OLD.tenant_id, OLD.campaign_id, OLD.host_id) THEN
    RAISE EXCEPTION 'a host completion counter only counts up by one'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'host_completions_count_up', DETAIL = 'constraint "host_completions_count_up"';
  END IF;
  RETURN NEW;
END
$$;
