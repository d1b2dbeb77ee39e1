-- Retention of webhook messages: blanks at most p_limit of the
-- transaction's tenant's messages created more than its webhook_days
-- before least(p_now, now()) — the body, the snapshot and the facts, all
-- three (webhook_messages_guard lets only this owner do it, and only so) —
-- deletes their deliveries' attempts, and says how many messages. The
-- message and its deliveries stay (id, type, object, times, outcomes): the
-- log still says what was sent when, no longer what it said. A message
-- with a delivery still pending is left until that delivery ends.
CREATE OR REPLACE FUNCTION retention_blank_webhook_messages(p_now timestamptz, p_limit integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  current_tenant uuid := app_tenant_id();
  cutoff timestamptz;
  due text[];
BEGIN
  SELECT least(p_now, now()) - make_interval(days => r.webhook_days) INTO cutoff FROM retention_of(current_tenant) r;
  due := ARRAY(
    SELECT m.id FROM webhook_messages m
    WHERE m.tenant_id = current_tenant AND m.created_at < cutoff
      AND (m.payload IS NOT NULL OR m.snapshot IS NOT NULL OR m.facts <> '{}')
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                      WHERE d.tenant_id = current_tenant AND d.message_id = m.id AND d.status = 'pending')
    ORDER BY m.created_at LIMIT least(p_limit, 10000) FOR UPDATE SKIP LOCKED);
  DELETE FROM webhook_attempts a
  WHERE a.tenant_id = current_tenant AND a.delivery_id IN (
    SELECT d.id FROM webhook_deliveries d WHERE d.tenant_id = current_tenant AND d.message_id = ANY (due));
  UPDATE webhook_messages m SET payload = NULL, snapshot = NULL, facts = '{}'
  WHERE m.tenant_id = current_tenant AND m.id = ANY (due);
  RETURN cardinality(due);
END
$$;

ALTER FUNCTION retention_blank_webhook_messages(timestamp with time zone, integer) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION retention_blank_webhook_messages(timestamp with time zone, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_blank_webhook_messages(timestamp with time zone, integer) TO tandem_app;
