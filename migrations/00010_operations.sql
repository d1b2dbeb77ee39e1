-- The console's operations pages (participants, invitations, the rewards
-- queue, raffles, API keys, the audit log): when a key was last used, a
-- readable name for whoever acted, and the indexes behind each page's
-- filters. The queries these serve are in models/console_queries.go.

-- +goose Up

-- When an API key last authenticated a request. Written from the key
-- verifier's cache-miss path, at most once a minute per key
-- (models.TouchAPIKey), never on every request.
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
GRANT UPDATE (last_used_at) ON api_keys TO tandem_app;

-- Participants: the newest first, and search by the start of an external
-- id or e-mail, case-insensitively. Under row-level security only
-- leakproof conditions can use an index, and neither lower() nor LIKE is
-- leakproof: so the lower-cased values are stored, and a search is a range
-- of the byte-wise (text_pattern_ops) operators, which are.
ALTER TABLE participants
  ADD COLUMN search_external_id text GENERATED ALWAYS AS (lower(external_id)) STORED,
  ADD COLUMN search_email text GENERATED ALWAYS AS (lower(email)) STORED;
CREATE INDEX participants_recent ON participants (tenant_id, created_at, id);
CREATE INDEX participants_external_id_prefix ON participants (tenant_id, search_external_id text_pattern_ops);
CREATE INDEX participants_email_prefix ON participants (tenant_id, search_email text_pattern_ops) WHERE search_email IS NOT NULL;

-- Invitations: the newest of the tenant (no campaign filter; the campaign
-- filter has invitations_by_campaign), and a participant's as guest.
CREATE INDEX invitations_recent ON invitations (tenant_id, created_at, id);
CREATE INDEX invitations_by_guest ON invitations (tenant_id, guest_id) WHERE guest_id IS NOT NULL;

-- The rewards queue: newest first, alone or filtered by campaign (status
-- alone has reward_tokens_queue), and the issued tickets of a raffle pot.
CREATE INDEX reward_tokens_recent ON reward_tokens (tenant_id, issued_at, id);
CREATE INDEX reward_tokens_by_campaign ON reward_tokens (tenant_id, campaign_id, status, issued_at);
CREATE INDEX reward_tokens_raffle_pot ON reward_tokens (tenant_id, campaign_id) WHERE kind = 'ticket' AND status = 'issued';

-- Raffle draws, newest first.
CREATE INDEX raffle_draws_recent ON raffle_draws (tenant_id, drawn_at);

-- The audit log: who settled a reward (by subject), and the filters by
-- actor and by action prefix (a range of byte-wise operators, as above).
CREATE INDEX audit_log_by_subject ON audit_log (tenant_id, subject, id);
CREATE INDEX audit_log_by_actor ON audit_log (tenant_id, actor, id);
CREATE INDEX audit_log_by_action ON audit_log (tenant_id, action text_pattern_ops);
