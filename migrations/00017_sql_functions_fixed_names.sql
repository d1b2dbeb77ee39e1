-- SQL functions that name their objects once, when they are created (issue 9).
--
-- 00012_referee.sql pinned every function's search_path with a SET clause, so
-- that no function could be pointed at a caller's temporary table. A SET
-- clause also stops PostgreSQL from inlining a SQL function into the query
-- that calls it: app_tenant_id(), which every insert calls for its tenant_id
-- default and the queries of every function call in their conditions, became
-- a function call of its own, with its own executor, a dozen times an event
-- (seen with auto_explain: most of a page view's time in ingest_events).
--
-- A SQL-standard body (BEGIN ATOMIC … END) is parsed when the function is
-- created: the objects it names are fixed then, whatever the caller's
-- search_path, so it needs no SET clause, and the planner inlines it again.
-- Every LANGUAGE sql function takes such a body here; plpgsql functions keep
-- their SET clause (the catalog test accepts either).

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE
BEGIN ATOMIC
  SELECT prefix || '_' || replace(gen_random_uuid()::text, '-', '');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_code() RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE
BEGIN ATOMIC
  SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', get_byte(r.b, i.pos) % 32 + 1, 1), '' ORDER BY i.n)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) r,
       unnest(ARRAY[0, 1, 2, 3, 4, 5, 9, 10]) WITH ORDINALITY AS i(pos, n);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION campaign_is_live(c campaigns) RETURNS boolean
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT c.status = 'active'
     AND (c.starts_at IS NULL OR c.starts_at <= now())
     AND (c.ends_at IS NULL OR now() < c.ends_at);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text)
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL
  UNION ALL
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = m.tenant_id AND l.campaign_id = m.campaign_id AND l.version = m.version)));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION actor_label(p_actor text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT CASE
    WHEN p_actor LIKE 'member:%' THEN
      coalesce((SELECT m.email FROM members m WHERE m.tenant_id = app_tenant_id() AND m.id = substr(p_actor, 8)),
               'a former member')
    WHEN p_actor LIKE 'key:%' THEN
      coalesce((SELECT CASE WHEN k.name <> '' THEN k.name ELSE k.kind || ' key' END
                FROM api_keys k WHERE k.tenant_id = app_tenant_id() AND k.id = substr(p_actor, 5)),
               'a deleted API key')
    WHEN p_actor = 'cli' THEN 'command line'
    ELSE 'Tandem'
  END;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rollup_shard() RETURNS smallint
LANGUAGE sql VOLATILE
BEGIN ATOMIC
  SELECT (pg_current_xact_id()::text::bigint % 16)::smallint;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION utc_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT (t AT TIME ZONE 'UTC')::date;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n) ORDER BY n);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_sorted_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE
BEGIN ATOMIC
  SELECT prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
         -- 80 random bits: a v4 UUID's hex without its version and variant digits.
         || substr(r, 1, 12) || substr(r, 14, 3) || substr(r, 18, 5)
  FROM replace(gen_random_uuid()::text, '-', '') AS r;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT (quest_state(p_campaign_id, p_version, p_guest_id)).progress;
END;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT prefix || '_' || replace(gen_random_uuid()::text, '-', '') $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_code() RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', get_byte(r.b, i.pos) % 32 + 1, 1), '' ORDER BY i.n)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) r,
       unnest(ARRAY[0, 1, 2, 3, 4, 5, 9, 10]) WITH ORDINALITY AS i(pos, n)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION campaign_is_live(c campaigns) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT c.status = 'active'
     AND (c.starts_at IS NULL OR c.starts_at <= now())
     AND (c.ends_at IS NULL OR now() < c.ends_at)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text)
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL
  UNION ALL
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = m.tenant_id AND l.campaign_id = m.campaign_id AND l.version = m.version)))
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION actor_label(p_actor text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT CASE
    WHEN p_actor LIKE 'member:%' THEN
      coalesce((SELECT m.email FROM members m WHERE m.tenant_id = app_tenant_id() AND m.id = substr(p_actor, 8)),
               'a former member')
    WHEN p_actor LIKE 'key:%' THEN
      coalesce((SELECT CASE WHEN k.name <> '' THEN k.name ELSE k.kind || ' key' END
                FROM api_keys k WHERE k.tenant_id = app_tenant_id() AND k.id = substr(p_actor, 5)),
               'a deleted API key')
    WHEN p_actor = 'cli' THEN 'command line'
    ELSE 'Tandem'
  END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rollup_shard() RETURNS smallint
LANGUAGE sql VOLATILE SET search_path = public, pg_temp
AS $$ SELECT (pg_current_xact_id()::text::bigint % 16)::smallint $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION utc_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n) ORDER BY n)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION new_sorted_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
  SELECT prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
         -- 80 random bits: a v4 UUID's hex without its version and variant digits.
         || substr(r, 1, 12) || substr(r, 14, 3) || substr(r, 18, 5)
  FROM replace(gen_random_uuid()::text, '-', '') AS r
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION quest_progress(p_campaign_id text, p_version integer, p_guest_id text) RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$ SELECT (quest_state(p_campaign_id, p_version, p_guest_id)).progress $$;
-- +goose StatementEnd
