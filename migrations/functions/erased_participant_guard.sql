-- An erased participant stays erased (erase_participant): nothing personal
-- is recorded about them again, whoever writes. Two rows hold such data
-- for a participant outside their own row (where the CHECK
-- participant_erased_stays_blank keeps the contact fields blank): the keyed
-- hashes of where they were seen from (participant_clients; same_client
-- would link their pseudonym to the devices of their old life), and the
-- recipient of an invitation they send (erasure blanks the recipients of
-- every invitation they sent). A write of either for an erased participant
-- is refused, named participant_erased_records_nothing.
--
-- The participant's row is read FOR KEY SHARE, as the foreign key does:
-- erasure takes it FOR UPDATE before it deletes the hashes, so a write
-- racing an erasure either commits first (and erasure, waiting, deletes or
-- blanks it) or waits and then reads the row as erased.
CREATE OR REPLACE FUNCTION erased_participant_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  who text;
  erased timestamptz;
BEGIN
  -- The trigger names the column that holds the participant (on Citus
  -- TG_TABLE_NAME is a shard's name); each branch reads a column of its own
  -- table only, as an expression is planned when first run, against the
  -- row's type.
  IF TG_ARGV[0] = 'host_id' THEN
    who := NEW.host_id;
  ELSE
    who := NEW.participant_id;
  END IF;
  SELECT p.erased_at INTO erased FROM participants p
   WHERE p.tenant_id = NEW.tenant_id AND p.id = who FOR KEY SHARE;
  IF erased IS NOT NULL THEN
    RAISE EXCEPTION 'participant % was erased, and nothing personal is recorded about them again', who
      USING ERRCODE = 'check_violation', CONSTRAINT = 'participant_erased_records_nothing',
            DETAIL = 'constraint "participant_erased_records_nothing"';
  END IF;
  RETURN NEW;
END
$$;
