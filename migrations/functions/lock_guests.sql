-- The guests' locks of lock_guest, many at once: one statement instead of
-- a call per guest (a batch of 1,000 quest-step events judges up to 1,000
-- guests). They are taken in the order given; callers pass the guests
-- sorted, so that two batches wait for each other instead of deadlocking.
CREATE OR REPLACE FUNCTION lock_guests(p_guest_ids text[], p_exclusive boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant text := app_tenant_id()::text;
BEGIN
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(current_tenant || '/' || g.id, 0))
    FROM unnest(p_guest_ids) WITH ORDINALITY AS g(id, n) ORDER BY g.n;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(current_tenant || '/' || g.id, 0))
    FROM unnest(p_guest_ids) WITH ORDINALITY AS g(id, n) ORDER BY g.n;
  END IF;
END
$$;
