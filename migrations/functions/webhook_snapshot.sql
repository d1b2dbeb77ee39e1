-- webhook_snapshot is a webhook message's object as the API shows it
-- (models.Invitation, RewardToken, Campaign, Participant: the same fields),
-- read by webhook_record in the transaction of the change, after the
-- change's statement: what a receiver gets is the object as that change
-- left it, not as it stands when the message is first sent. NULL for an
-- object read at send (a raffle draw, which cannot change).
--
-- What the database cannot know is added at send: an invitation's url
-- (PUBLIC_URL and its code) and a campaign's published version (immutable).
-- An invitation's status is derived as models derives it, at the time of
-- the change (an invitation the expiry sweep marked is expired). Every statement names the tenant as a value (Citus routes it
-- to the worker of the tenant's shard, where the trigger runs).
CREATE OR REPLACE FUNCTION webhook_snapshot(p_tenant_id uuid, p_type text, p_object_id text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  snapshot jsonb;
BEGIN
  CASE split_part(p_type, '.', 1)
  WHEN 'invitation', 'quest' THEN
    SELECT jsonb_build_object(
             'id', i.id, 'campaign', c.slug, 'kind', i.kind, 'code', coalesce(i.code, i.referrer_code),
             'status', CASE WHEN i.completed_at IS NOT NULL THEN 'completed'
                            WHEN i.guest_id IS NOT NULL THEN 'claimed'
                            WHEN i.expired_at IS NOT NULL OR i.expires_at <= now() THEN 'expired'
                            ELSE 'pending' END,
             'host', h.external_id, 'guest', g.external_id, 'channel', i.channel, 'recipient', i.recipient,
             'version', i.version,
             'progress', jsonb_build_object('done', i.progress,
               'total', (SELECT count(*) FROM campaign_version_steps s
                         WHERE s.tenant_id = p_tenant_id AND s.campaign_id = i.campaign_id
                           AND s.version = coalesce(i.version, c.current_version)),
               'next_step', (SELECT s.event_name FROM campaign_version_steps s
                             WHERE s.tenant_id = p_tenant_id AND s.campaign_id = i.campaign_id
                               AND s.version = coalesce(i.version, c.current_version) AND s.position = i.progress + 1)),
             'completion_number', i.completion_number, 'created_at', i.created_at, 'expires_at', i.expires_at,
             'claimed_at', i.claimed_at, 'completed_at', i.completed_at,
             'risk', jsonb_build_object('level', i.risk_level, 'signals', coalesce(i.risk_signals, '[]'::jsonb)))
    INTO snapshot
    FROM invitations i
    JOIN campaigns c ON c.tenant_id = p_tenant_id AND c.id = i.campaign_id
    JOIN participants h ON h.tenant_id = p_tenant_id AND h.id = i.host_id
    LEFT JOIN participants g ON g.tenant_id = p_tenant_id AND g.id = i.guest_id
    WHERE i.tenant_id = p_tenant_id AND i.id = p_object_id;
  WHEN 'reward' THEN
    SELECT jsonb_build_object(
             'id', r.id, 'participant', p.external_id, 'campaign', c.slug, 'invitation', r.invitation_id,
             'reason', r.reason, 'milestone', r.milestone, 'description', r.description, 'kind', r.kind,
             'quantity', r.quantity, 'amount', r.amount, 'currency', r.currency, 'percent_off', r.percent_off,
             'status', r.status, 'issued_at', r.issued_at, 'status_changed_at', r.status_changed_at,
             'raffle_draw', r.raffle_draw_id, 'expires_at', r.expires_at, 'reviewed_at', r.reviewed_at,
             'review_reason', r.review_reason,
             'risk', jsonb_build_object('level', ri.risk_level, 'signals', coalesce(ri.risk_signals, '[]'::jsonb)))
           || CASE WHEN f.reward_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('fulfilment', jsonb_build_object(
                'status', f.status, 'stripe_object', f.stripe_object, 'code', f.code, 'error', f.error,
                'attempts', f.attempts)) END
    INTO snapshot
    FROM reward_tokens r
    JOIN participants p ON p.tenant_id = p_tenant_id AND p.id = r.participant_id
    JOIN campaigns c ON c.tenant_id = p_tenant_id AND c.id = r.campaign_id
    JOIN invitations ri ON ri.tenant_id = p_tenant_id AND ri.id = r.invitation_id
    LEFT JOIN reward_fulfilments f ON f.tenant_id = p_tenant_id AND f.reward_id = r.id
    WHERE r.tenant_id = p_tenant_id AND r.id = p_object_id;
  WHEN 'campaign' THEN
    SELECT jsonb_build_object(
             'id', c.id, 'slug', c.slug, 'name', c.name, 'mode', c.mode, 'status', c.status,
             'current_version', c.current_version, 'signup_url', c.signup_url, 'starts_at', c.starts_at,
             'ends_at', c.ends_at, 'created_at', c.created_at, 'updated_at', c.updated_at)
    INTO snapshot
    FROM campaigns c
    WHERE c.tenant_id = p_tenant_id AND c.slug = p_object_id;
  WHEN 'participant' THEN
    SELECT jsonb_build_object(
             'id', p.id, 'external_id', p.external_id, 'email', p.email, 'phone', p.phone,
             'display_name', p.display_name, 'stripe_customer_id', p.stripe_customer_id,
             'created_at', p.created_at, 'updated_at', p.updated_at, 'erased_at', p.erased_at)
    INTO snapshot
    FROM participants p
    WHERE p.tenant_id = p_tenant_id AND p.external_id = p_object_id;
  ELSE
    RETURN NULL;
  END CASE;
  RETURN snapshot;
END
$$;

ALTER FUNCTION webhook_snapshot(uuid,text,text) OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION webhook_snapshot(uuid,text,text) FROM PUBLIC;
