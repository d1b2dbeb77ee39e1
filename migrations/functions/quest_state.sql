CREATE OR REPLACE FUNCTION quest_state(p_campaign_id text, p_version integer, p_guest_id text, OUT progress integer, OUT steps integer)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
-- plpgsql rather than sql: its plan is cached for the session.
AS $$
DECLARE
  current_tenant uuid := app_tenant_id(); -- read once, not per row
BEGIN
  SELECT coalesce(min(s.position) FILTER (WHERE NOT s.done) - 1, count(*))::integer, count(*)::integer
  INTO progress, steps
  FROM (SELECT s.position,
               EXISTS (SELECT 1 FROM participant_event_names e
                       WHERE e.tenant_id = current_tenant AND e.participant_id = p_guest_id AND e.name = s.event_name) AS done
        FROM campaign_version_steps s
        WHERE s.tenant_id = current_tenant AND s.campaign_id = p_campaign_id AND s.version = p_version) s;
END
$$;
