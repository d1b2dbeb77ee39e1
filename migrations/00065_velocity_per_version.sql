-- Velocity per version: a host with more than velocity_claims claims in one
-- campaign within velocity_window_minutes carries the velocity signal at
-- its next claim. Frozen with the version like its review rules (the
-- published-version guard refuses every UPDATE of a published row); the
-- defaults are the limit every version had before (10 claims an hour).

-- +goose Up
-- (Each CHECK is added apart from its column: Citus adds no column with a
-- constraint to a table it already holds.)
ALTER TABLE campaign_versions
  ADD COLUMN velocity_claims integer NOT NULL DEFAULT 10,
  ADD COLUMN velocity_window_minutes integer NOT NULL DEFAULT 60;
-- At least one claim, at most a thousand; a window of a minute to 30 days
-- (as far back as same_client looks).
ALTER TABLE campaign_versions ADD CONSTRAINT version_velocity_claims CHECK (velocity_claims BETWEEN 1 AND 1000);
ALTER TABLE campaign_versions ADD CONSTRAINT version_velocity_window CHECK (velocity_window_minutes BETWEEN 1 AND 43200);
