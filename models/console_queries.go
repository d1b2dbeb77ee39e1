package models

// The console's operations queries, named and commented so each can be
// read and EXPLAINed on its own (listmonk style). Each runs inside a
// tenant transaction, so row-level security scopes it to one tenant; the
// indexes they lean on are in migrations/00010_operations.sql.
//
// Lists page by keyset: @after is the id of the last row of the previous
// page ('' for the first), @limit one more than the page size (the extra
// row tells whether another page follows). An empty filter parameter
// ('') means "any".

// qSearchParticipants: participants, newest first, optionally those whose
// external id or e-mail starts with @prefix (lower-cased): the stored
// lower-cased columns between @prefix and @prefix_end (@prefix followed by
// the highest code point). Row-level security lets only leakproof
// conditions use an index, which the byte-wise ~>=~ and ~<~ are and
// lower() and LIKE are not. Uses participants_recent, or the two *_prefix
// indexes (a BitmapOr) when searching.
const qSearchParticipants = `
	SELECT ` + participantColumns + `
	FROM participants
	WHERE (@prefix = ''
	    OR (search_external_id ~>=~ @prefix AND search_external_id ~<~ @prefix_end)
	    OR (search_email ~>=~ @prefix AND search_email ~<~ @prefix_end))
	  AND (@after = '' OR (created_at, id) < (SELECT created_at, id FROM participants WHERE id = @after))
	ORDER BY created_at DESC, id DESC
	LIMIT @limit`

// qQuestInvitations: invitations with their people, the guest's progress
// and the names of the quest's steps (of the version the claim pinned,
// the current one while pending), filtered by campaign slug, host or guest
// (participant ids), derived status and next step, newest first. The step
// filter only matches quests in progress.
const qQuestInvitations = `
	SELECT i.id, c.slug AS campaign, c.name AS campaign_name, i.kind, coalesce(i.code, i.referrer_code) AS code,
	       h.external_id AS host, g.external_id AS guest, i.channel, i.recipient, i.version,
	       i.progress AS done, q.total, q.next_step, q.steps, i.completion_number,
	       i.created_at, i.expires_at, i.claimed_at, i.completed_at
	FROM invitations i
	JOIN campaigns c ON c.tenant_id = i.tenant_id AND c.id = i.campaign_id
	JOIN participants h ON h.tenant_id = i.tenant_id AND h.id = i.host_id
	LEFT JOIN participants g ON g.tenant_id = i.tenant_id AND g.id = i.guest_id
	CROSS JOIN LATERAL (
	  SELECT count(*)::int AS total,
	         min(s.event_name) FILTER (WHERE s.position = i.progress + 1) AS next_step,
	         coalesce(json_agg(s.event_name ORDER BY s.position), '[]') AS steps
	  FROM campaign_version_steps s
	  WHERE s.tenant_id = i.tenant_id AND s.campaign_id = i.campaign_id
	    AND s.version = coalesce(i.version, c.current_version)
	) q
	WHERE (@campaign = '' OR c.slug = @campaign)
	  AND (@host = '' OR i.host_id = @host)
	  AND (@guest = '' OR i.guest_id = @guest)
	  AND (@status = ''
	    OR (@status = 'completed' AND i.completed_at IS NOT NULL)
	    OR (@status = 'claimed' AND i.guest_id IS NOT NULL AND i.completed_at IS NULL)
	    OR (@status = 'expired' AND i.guest_id IS NULL AND i.expires_at <= now())
	    OR (@status = 'pending' AND i.guest_id IS NULL AND (i.expires_at IS NULL OR i.expires_at > now())))
	  AND (@step = '' OR (i.guest_id IS NOT NULL AND i.completed_at IS NULL AND q.next_step = @step))
	  AND (@after = '' OR (i.created_at, i.id) < (SELECT created_at, id FROM invitations WHERE id = @after))
	ORDER BY i.created_at DESC, i.id DESC
	LIMIT @limit`

// qQuestStepNames: every event name that is a step of some campaign's
// current version (or of the one campaign @campaign), for the invitations
// page's step filter.
const qQuestStepNames = `
	SELECT DISTINCT s.event_name
	FROM campaign_version_steps s
	JOIN campaigns c ON c.tenant_id = s.tenant_id AND c.id = s.campaign_id AND c.current_version = s.version
	WHERE @campaign = '' OR c.slug = @campaign
	ORDER BY 1`

// qCampaignChoices: every campaign's slug and name, for filter menus.
const qCampaignChoices = `
	SELECT slug, name, status FROM campaigns ORDER BY lower(name), slug LIMIT 1000`

// qRewardQueue: reward tokens with their participant and campaign, and who
// settled them — the actor of the token's last reward.* audit entry
// (audit_log_by_subject), or who drew the raffle that used a ticket —
// filtered by status, campaign slug, kind, participant id and, for bulk
// actions, a set of ids (@ids, a comma-separated list, empty for any),
// newest first.
const qRewardQueue = `
	SELECT r.id, p.external_id AS participant, c.slug AS campaign, c.name AS campaign_name,
	       r.invitation_id AS invitation, r.reason, r.milestone, r.description, r.kind, r.quantity,
	       r.amount, r.currency, r.status, r.issued_at, r.status_changed_at, r.raffle_draw_id AS raffle_draw,
	       coalesce(actor_label(d.drawn_by), s.settled_by) AS settled_by
	FROM reward_tokens r
	JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
	JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
	LEFT JOIN raffle_draws d ON d.tenant_id = r.tenant_id AND d.id = r.raffle_draw_id
	LEFT JOIN LATERAL (
	  SELECT actor_label(a.actor) AS settled_by
	  FROM audit_log a
	  WHERE a.tenant_id = r.tenant_id AND a.subject = r.id
	    AND a.action IN ('reward.redeemed', 'reward.voided', 'reward.expired')
	  ORDER BY a.id DESC
	  LIMIT 1
	) s ON r.status <> 'issued' AND r.raffle_draw_id IS NULL
	WHERE (@status = '' OR r.status = @status)
	  AND (@campaign = '' OR c.slug = @campaign)
	  AND (@kind = '' OR r.kind = @kind)
	  AND (@participant = '' OR r.participant_id = @participant)
	  AND (@ids = '' OR r.id = ANY (string_to_array(@ids, ',')))
	  AND (@after = '' OR (r.issued_at, r.id) < (SELECT issued_at, id FROM reward_tokens WHERE id = @after))
	ORDER BY r.issued_at DESC, r.id DESC
	LIMIT @limit`

// qRaffleDraws: past draws, newest first, with their campaign, how many
// winners were asked for and drawn, the entries, and who drew.
const qRaffleDraws = `
	SELECT d.id, c.slug AS campaign, c.name AS campaign_name, d.winners AS requested,
	       (SELECT count(*) FROM raffle_winners w WHERE w.tenant_id = d.tenant_id AND w.draw_id = d.id) AS drawn,
	       (SELECT count(*) FROM raffle_entries e WHERE e.tenant_id = d.tenant_id AND e.draw_id = d.id) AS entries,
	       (SELECT coalesce(sum(e.tickets), 0) FROM raffle_entries e WHERE e.tenant_id = d.tenant_id AND e.draw_id = d.id) AS tickets,
	       actor_label(d.drawn_by) AS drawn_by, d.drawn_at
	FROM raffle_draws d
	JOIN campaigns c ON c.tenant_id = d.tenant_id AND c.id = d.campaign_id
	WHERE (@id = '' OR d.id = @id)
	  AND (@after = '' OR (d.drawn_at, d.id) < (SELECT drawn_at, id FROM raffle_draws WHERE id = @after))
	ORDER BY d.drawn_at DESC, d.id DESC
	LIMIT @limit`

// qRafflePots: per campaign, the issued ticket tokens a draw would use
// (reward_tokens_raffle_pot), and how many participants hold them.
const qRafflePots = `
	SELECT c.slug AS campaign, c.name AS campaign_name, count(*) AS tokens,
	       sum(r.quantity) AS tickets, count(DISTINCT r.participant_id) AS participants
	FROM reward_tokens r
	JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
	WHERE r.kind = 'ticket' AND r.status = 'issued'
	GROUP BY c.slug, c.name
	ORDER BY lower(c.name), c.slug`

// qAPIKeys: the tenant's API keys, live ones first, newest first. Neither
// the hash nor the lookup string leaves the database.
const qAPIKeys = `
	SELECT id, kind, name, to_json(allowed_origins) AS allowed_origins, created_at, last_used_at, revoked_at
	FROM api_keys
	WHERE @id = '' OR id = @id
	ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`

// qTouchAPIKey: records that a key was just used, unless that was already
// recorded within the last minute — so a busy key costs one write a minute.
const qTouchAPIKey = `
	UPDATE api_keys SET last_used_at = now()
	WHERE id = @id AND revoked_at IS NULL
	  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`

// qRevokeAPIKey: revokes a live key; a revoked one stays as it is
// (api_keys_guard refuses to change revoked_at again).
const qRevokeAPIKey = `
	UPDATE api_keys SET revoked_at = now()
	WHERE id = @id AND revoked_at IS NULL
	RETURNING id`

// qAuditEntries: the audit log, newest first, with a readable actor,
// filtered by action prefix (@action to @action_end, byte-wise, as in
// qSearchParticipants) and exact actor. @after is the id (a number, as
// text) of the last entry shown.
const qAuditEntries = `
	SELECT id, actor, actor_label(actor) AS actor_label, action, subject, before, after, at
	FROM audit_log
	WHERE (@action = '' OR (action ~>=~ @action AND action ~<~ @action_end))
	  AND (@actor = '' OR actor = @actor)
	  AND (@after = '' OR id < NULLIF(@after, '')::bigint)
	ORDER BY id DESC
	LIMIT @limit`
