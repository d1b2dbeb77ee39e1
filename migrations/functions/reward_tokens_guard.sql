-- rule 9: a token's snapshot, percentage included, is never rewritten.
-- rule 7, with review: a held token leaves held only for issued (approved)
-- or voided (rejected, with a reason), once; an issued one moves once to
-- redeemed, voided or expired; a settled one never changes again.
-- Leaving held stamps reviewed_at, and approval starts the expiry the
-- version sets, from the approval. A token is deleted only with its
-- account, by the purge (as tandem_purger).
CREATE OR REPLACE FUNCTION reward_tokens_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  days integer;
BEGIN
  -- A deleted account's purge (purge_tenant) removes every row.
  IF TG_OP = 'DELETE' THEN
    IF purge_may_delete(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reward % was issued and stays issued', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked', DETAIL = 'constraint "reward_never_revoked"';
  END IF;
  IF (NEW.tenant_id, NEW.id, NEW.participant_id, NEW.campaign_id, NEW.invitation_id, NEW.reason, NEW.milestone,
      NEW.description, NEW.kind, NEW.quantity, NEW.amount, NEW.currency, NEW.percent_off, NEW.issued_at)
     IS DISTINCT FROM
     (OLD.tenant_id, OLD.id, OLD.participant_id, OLD.campaign_id, OLD.invitation_id, OLD.reason, OLD.milestone,
      OLD.description, OLD.kind, OLD.quantity, OLD.amount, OLD.currency, OLD.percent_off, OLD.issued_at) THEN
    RAISE EXCEPTION 'reward % keeps the reward it was issued with', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked', DETAIL = 'constraint "reward_never_revoked"';
  END IF;
  IF OLD.status = 'held' THEN
    IF NEW.status NOT IN ('held', 'issued', 'voided') THEN
      RAISE EXCEPTION 'reward % is held: it is approved or rejected before anything else', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition', DETAIL = 'constraint "reward_status_transition"';
    END IF;
    IF NEW.status = 'held' THEN
      IF NEW.review_reason IS NOT NULL OR NEW.reviewed_at IS NOT NULL THEN
        RAISE EXCEPTION 'reward % is held: a reason comes with its rejection', OLD.id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_review_shape', DETAIL = 'constraint "reward_review_shape"';
      END IF;
      RETURN NEW;
    END IF;
    IF NEW.status = 'voided' AND NEW.review_reason IS NULL THEN
      RAISE EXCEPTION 'reward % is rejected with a reason', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_rejected_with_reason', DETAIL = 'constraint "reward_rejected_with_reason"';
    END IF;
    NEW.reviewed_at := now();
    IF NEW.status = 'issued' THEN
      SELECT v.reward_expires_after_days INTO days
      FROM invitations i JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
      WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invitation_id;
      NEW.expires_at := now() + make_interval(days => days);
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'held' THEN
    RAISE EXCEPTION 'reward % is % and is never held again', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition', DETAIL = 'constraint "reward_status_transition"';
  END IF;
  IF OLD.status <> 'issued' AND (NEW.status, NEW.status_changed_at, NEW.raffle_draw_id)
       IS DISTINCT FROM (OLD.status, OLD.status_changed_at, OLD.raffle_draw_id) THEN
    RAISE EXCEPTION 'reward % is % for good', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition', DETAIL = 'constraint "reward_status_transition"';
  END IF;
  IF (NEW.reviewed_at, NEW.review_reason) IS DISTINCT FROM (OLD.reviewed_at, OLD.review_reason) THEN
    RAISE EXCEPTION 'reward % keeps its review', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_review_shape', DETAIL = 'constraint "reward_review_shape"';
  END IF;
  RETURN NEW;
END
$$;
