CREATE OR REPLACE FUNCTION events_record_names() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO participant_event_names (tenant_id, participant_id, name)
  SELECT DISTINCT n.tenant_id, n.participant_id, n.name FROM new_events n
  WHERE (SELECT true FROM participant_event_names p
         WHERE p.tenant_id = n.tenant_id AND p.participant_id = n.participant_id AND p.name = n.name
         LIMIT 1) IS NULL
  ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
