-- A tenant always keeps at least one owner. Whoever demotes or removes a
-- member — the console, a job, a bug, or someone at a SQL prompt — cannot take
-- away the last owner, since nobody could then manage the team or billing.
-- A lock per tenant is taken first, so that two owners demoting each other at
-- the same instant are serialized: the second then sees the first's change
-- (a plpgsql statement takes a fresh snapshot under READ COMMITTED) and is
-- refused. An advisory lock, not the tenant's row: on Citus the trigger runs
-- on the worker holding the tenant's members, where every such change runs,
-- and a trigger there cannot lock a row of the reference table tenants. A
-- deleted account's purge (as tandem_purger) removes every member, owners
-- too.
CREATE OR REPLACE FUNCTION members_keep_an_owner() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF OLD.role = 'owner' AND (TG_OP = 'DELETE' OR NEW.role <> 'owner' OR NEW.tenant_id <> OLD.tenant_id) THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('last_owner:' || OLD.tenant_id::text, 0));
    IF NOT EXISTS (SELECT 1 FROM members m
                   WHERE m.tenant_id = OLD.tenant_id AND m.id <> OLD.id AND m.role = 'owner') THEN
      RAISE EXCEPTION 'member % is the last owner of tenant %', OLD.id, OLD.tenant_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'last_owner', DETAIL = 'constraint "last_owner"', TABLE = 'members';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
