-- The widget's writes are limited per participant token and per
-- participant, as the API's requests are per key: one token created 1,000
-- invitations in 6 s (each a row, a global code, a webhook per endpoint).
-- The same limiter (internal/ratelimit) counts them, summed over every web
-- machine in the same table, one row per limited thing and minute, so
-- api_rate_limits now names an API key, a widget token or a participant.

-- +goose Up
ALTER TABLE api_rate_limits DROP CONSTRAINT api_rate_limits_tenant_id_key_id_fkey;
-- What a row counts: an API key (key_), a widget token (wtk_) or a
-- participant (par_), by its public id. No foreign key: a row outlives
-- nothing it counts by more than an hour (ratelimit prunes older windows),
-- and each is bound to its tenant by the primary key and row-level security.
ALTER TABLE api_rate_limits ADD CONSTRAINT rate_limit_subject CHECK (key_id ~ '^(key|wtk|par)_[0-9a-f]{32}$');
