-- rule 9: a token's snapshot, percentage included, is never rewritten.
CREATE OR REPLACE FUNCTION reward_tokens_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
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
  IF OLD.status <> 'issued' AND (NEW.status, NEW.status_changed_at, NEW.raffle_draw_id)
       IS DISTINCT FROM (OLD.status, OLD.status_changed_at, OLD.raffle_draw_id) THEN
    RAISE EXCEPTION 'reward % is % for good', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition', DETAIL = 'constraint "reward_status_transition"';
  END IF;
  RETURN NEW;
END
$$;
