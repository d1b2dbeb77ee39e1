-- Publishing with "migrate" no longer moves every in-flight invitation in the
-- publishing transaction (which held all their locks, so a large campaign's
-- guests waited for the whole publish): the publish records a migration
-- here and answers; a job (package jobs, queued by this table's trigger)
-- moves the invitations in batches, each a short transaction of its own
-- (migrate_inflight_batch), and the console shows its progress.
--
-- While a migration runs, its campaign is in a state that keeps the rules
-- true:
--   - each in-flight invitation is on its old version or on the new one,
--     and is judged by whichever it is on when its guest's event comes (the
--     invitation's row lock orders the event and the batch that moves it);
--   - an invitation moves only with a running migration of its campaign, to
--     that migration's version (invitation_migrates_with_campaign, in
--     invitations_before_update), once: only forward, so a batch never
--     judges it again;
--   - the campaign publishes no other version and does not end until the
--     migration is finished (campaign_migration_running, in
--     campaigns_await_migration): two migrations would move an invitation
--     twice, and an ended campaign judges no more;
--   - a migration finishes only when no in-flight invitation of its
--     campaign is left below its version (campaign_migration_unfinished).

-- +goose Up
CREATE TABLE campaign_migrations (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id(),
  campaign_id  text NOT NULL,
  -- The version the in-flight invitations move to: the one just published.
  version      integer NOT NULL,
  -- How many were in flight at the publish (its preview's count), and how
  -- many the batches have moved so far: the console's progress.
  in_flight    integer NOT NULL CHECK (in_flight >= 0),
  migrated     integer NOT NULL DEFAULT 0 CHECK (migrated >= 0),
  -- Where the batches are: they take the in-flight invitations in (host,
  -- id) order, the order ingestion locks them in, after this one.
  after_host   text,
  after_id     text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  PRIMARY KEY (tenant_id, campaign_id, version),
  FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES campaign_versions (tenant_id, campaign_id, version),
  CONSTRAINT campaign_migration_cursor CHECK ((after_host IS NULL) = (after_id IS NULL))
);
-- At most one running migration per campaign: a second would move the
-- first one's invitations again.
CREATE UNIQUE INDEX campaign_migrations_one_running ON campaign_migrations (tenant_id, campaign_id) WHERE finished_at IS NULL;
SELECT enable_tenant_rls('campaign_migrations');
-- The publish inserts; the batches move the cursor and the count and
-- finish it (campaign_migrations_guard says how).
GRANT SELECT, INSERT, UPDATE (migrated, after_host, after_id, finished_at) ON campaign_migrations TO tandem_app;
GRANT SELECT ON campaign_migrations TO tandem_referee;

-- The batches' walk: a campaign's in-flight invitations in (host, id)
-- order, from a cursor, without reading those already behind it.
CREATE INDEX invitations_in_flight ON invitations (tenant_id, campaign_id, host_id, id) WHERE guest_id IS NOT NULL AND completed_at IS NULL;
