CREATE OR REPLACE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$ BEGIN RETURN (quest_state(p_campaign_id, p_version, p_guest_id)).progress; END $$;
