-- erase_participant removes or irreversibly pseudonymises what the tenant
-- holds about one person, and keeps every fact about the referral true
-- (docs/security.md, "Personal data"). It is the one path by which personal
-- data leaves rows that never change otherwise: it runs as tandem_eraser,
-- the only role the guards (events_erasable, audit_log_erasable,
-- invitations_recipient_erasable, webhook_messages_guard) let blank them.
--
-- Kept: the participant's row and internal id (invitations, completions,
-- rewards, raffle entries and winners point at it), every count, progress,
-- completion number, reward token and value, rollup and raffle draw (a
-- draw's entries are ordered by internal id, so it re-checks the same).
-- Changed: the external id becomes a random pseudonym, so the old one finds
-- nothing and a new event under it creates a new participant; e-mail,
-- phone, display name and Stripe customer are cleared; recipients of the
-- invitations they sent or received blanked, and the risk evidence (signal
-- details) of those and of any referral that quotes them; their events' properties
-- blanked and idempotency keys dropped (the schema's invitation_claimed
-- events hold only an invitation id and are left); the keyed hashes of the
-- addresses and user agents they were seen from; their widget tokens and
-- the idempotency replays that quote them deleted; webhook messages about
-- them (participant.*, their invitations and rewards, raffles they entered)
-- get the old values replaced in their snapshot and lose their rendered
-- body, which the next send renders from it; attempts' answers that quote
-- them blanked; audit entries keep who did what when, with the old values
-- replaced in before and after (erased_jsonb).
--
-- Returns when the participant was erased; erasing again changes nothing
-- and returns the same time. Every statement names the tenant as a value.
CREATE OR REPLACE FUNCTION erase_participant(p_tenant_id uuid, p_participant_id text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  p participants;
  olds text[];
  quoted bytea[];
  pseudonym text;
  blanked jsonb;
  messages text[];
BEGIN
  IF p_tenant_id IS DISTINCT FROM app_tenant_id() THEN
    RAISE EXCEPTION 'erase_participant runs in its tenant''s transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO p FROM participants WHERE tenant_id = p_tenant_id AND id = p_participant_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'participant % not found', p_participant_id
      USING ERRCODE = 'no_data_found', CONSTRAINT = 'participant_not_found', DETAIL = 'constraint "participant_not_found"';
  END IF;
  IF p.erased_at IS NOT NULL THEN
    RETURN p.erased_at;
  END IF;

  -- What is to disappear, the external id first (erased_jsonb replaces it
  -- with the pseudonym), and each as a JSON string, as stored bodies quote it.
  SELECT array_agg(DISTINCT v) INTO olds
    FROM (SELECT unnest(ARRAY[p.email, p.phone, p.display_name, p.stripe_customer_id]) AS v
          UNION ALL
          SELECT recipient FROM invitations WHERE tenant_id = p_tenant_id AND host_id = p.id
          UNION ALL
          SELECT recipient FROM invitations WHERE tenant_id = p_tenant_id AND guest_id = p.id
          UNION ALL
          -- Values they had before an update, kept by the snapshots of
          -- participant.* messages.
          SELECT m.snapshot ->> k FROM webhook_messages m, unnest(ARRAY['email', 'phone', 'display_name', 'stripe_customer_id']) k
           WHERE m.tenant_id = p_tenant_id AND m.type LIKE 'participant.%' AND m.object_id = p.external_id) s
   WHERE v IS NOT NULL AND v <> '' AND v <> p.external_id;
  olds := ARRAY[p.external_id] || coalesce(olds, '{}');
  SELECT array_agg(convert_to(to_jsonb(v)::text, 'UTF8')) INTO quoted FROM unnest(olds) v;
  pseudonym := new_id('erased');
  -- Built here, not in the UPDATE: Citus refuses a function that is not
  -- immutable (jsonb_build_object is stable) inside a CASE it sends on.
  blanked := jsonb_build_object('external_id', pseudonym, 'email', NULL, 'phone', NULL, 'display_name', '',
                                'stripe_customer_id', NULL);

  -- The messages about them, before the participant's external id changes.
  SELECT coalesce(array_agg(m.id), '{}') INTO messages
    FROM webhook_messages m
   WHERE m.tenant_id = p_tenant_id AND (
         (m.type LIKE 'participant.%' AND m.object_id = p.external_id)
      OR m.object_id IN (SELECT id FROM invitations WHERE tenant_id = p_tenant_id AND host_id = p.id
                         UNION ALL SELECT id FROM invitations WHERE tenant_id = p_tenant_id AND guest_id = p.id
                         UNION ALL SELECT id FROM reward_tokens WHERE tenant_id = p_tenant_id AND participant_id = p.id
                         UNION ALL SELECT draw_id FROM raffle_entries WHERE tenant_id = p_tenant_id AND participant_id = p.id));

  UPDATE participants
     SET external_id = pseudonym, email = NULL, phone = NULL, display_name = '', stripe_customer_id = NULL,
         erased_at = now(), updated_at = now()
   WHERE tenant_id = p_tenant_id AND id = p.id;

  UPDATE invitations SET recipient = ''
   WHERE tenant_id = p_tenant_id AND (host_id = p.id OR guest_id = p.id) AND recipient <> '';

  -- Risk evidence about them: every detail of their referrals' signals, and
  -- of any other referral's that quotes them (codes and levels stay).
  UPDATE invitations i SET risk_signals = erased_risk_signals(i.risk_signals)
   WHERE i.tenant_id = p_tenant_id AND i.risk_signals IS NOT NULL
     AND (i.host_id = p.id OR i.guest_id = p.id
          OR EXISTS (SELECT 1 FROM unnest(olds) o WHERE strpos(i.risk_signals::text, trim(both '"' from to_jsonb(o)::text)) > 0));

  UPDATE events SET properties = '{}', idempotency_key = NULL
   WHERE tenant_id = p_tenant_id AND participant_id = p.id AND name <> 'invitation_claimed'
     AND (properties <> '{}' OR idempotency_key IS NOT NULL);

  DELETE FROM widget_tokens WHERE tenant_id = p_tenant_id AND participant_id = p.id;
  DELETE FROM participant_clients WHERE tenant_id = p_tenant_id AND participant_id = p.id;

  DELETE FROM api_idempotency a
   WHERE a.tenant_id = p_tenant_id AND a.response_body IS NOT NULL
     AND EXISTS (SELECT 1 FROM unnest(quoted) q WHERE position(q IN a.response_body) > 0);

  UPDATE webhook_messages
     SET object_id = CASE WHEN type LIKE 'participant.%' THEN pseudonym ELSE object_id END,
         snapshot = CASE WHEN type LIKE 'participant.%' THEN snapshot || blanked
                         ELSE erased_jsonb(snapshot, olds, pseudonym) END,
         payload = NULL
   WHERE tenant_id = p_tenant_id AND id = ANY (messages);

  -- The risk evidence their invitations' snapshots carry.
  UPDATE webhook_messages
     SET snapshot = jsonb_set(snapshot, '{risk,signals}', erased_risk_signals(snapshot #> '{risk,signals}'))
   WHERE tenant_id = p_tenant_id AND id = ANY (messages) AND jsonb_typeof(snapshot #> '{risk,signals}') = 'array'
     AND jsonb_array_length(snapshot #> '{risk,signals}') > 0;

  UPDATE webhook_attempts a SET response = '', error = ''
   WHERE a.tenant_id = p_tenant_id
     AND a.delivery_id IN (SELECT d.id FROM webhook_deliveries d WHERE d.tenant_id = p_tenant_id AND d.message_id = ANY (messages))
     AND EXISTS (SELECT 1 FROM unnest(olds) o WHERE strpos(a.response, o) > 0 OR strpos(a.error, o) > 0);

  UPDATE audit_log a
     SET before = erased_jsonb(a.before, olds, pseudonym), after = erased_jsonb(a.after, olds, pseudonym)
   WHERE a.tenant_id = p_tenant_id
     AND EXISTS (SELECT 1 FROM unnest(olds) o
                  WHERE strpos(a.before::text, to_jsonb(o)::text) > 0 OR strpos(a.after::text, to_jsonb(o)::text) > 0);

  PERFORM webhook_record(p_tenant_id, 'participant.erased', pseudonym, '{}');
  RETURN now();
END
$$;

ALTER FUNCTION erase_participant(uuid,text) OWNER TO tandem_eraser;
REVOKE ALL ON FUNCTION erase_participant(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION erase_participant(uuid,text) TO tandem_app;
