CREATE TRIGGER invitations_after_claim_insert AFTER INSERT ON public.invitations
  FOR EACH ROW
  WHEN ((new.guest_id IS NOT NULL))
  EXECUTE FUNCTION invitations_after_claim();

CREATE TRIGGER invitations_after_claim_update AFTER UPDATE OF guest_id ON public.invitations
  FOR EACH ROW
  WHEN (((old.guest_id IS NULL) AND (new.guest_id IS NOT NULL)))
  EXECUTE FUNCTION invitations_after_claim();

CREATE TRIGGER invitations_before_insert BEFORE INSERT ON public.invitations
  FOR EACH ROW
  EXECUTE FUNCTION invitations_before_insert();

CREATE TRIGGER invitations_before_update BEFORE UPDATE ON public.invitations
  FOR EACH ROW
  EXECUTE FUNCTION invitations_before_update();

CREATE TRIGGER invitations_completed AFTER UPDATE ON public.invitations
  REFERENCING OLD TABLE AS old_invitations NEW TABLE AS new_invitations
  FOR EACH STATEMENT
  EXECUTE FUNCTION invitations_completed();

CREATE TRIGGER invitations_erased_host_guard BEFORE INSERT ON public.invitations
  FOR EACH ROW
  WHEN ((new.recipient <> ''::text))
  EXECUTE FUNCTION erased_participant_guard('host_id');

CREATE TRIGGER invitations_recipient_erasable BEFORE UPDATE OF recipient ON public.invitations
  FOR EACH ROW
  WHEN ((old.recipient IS DISTINCT FROM new.recipient))
  EXECUTE FUNCTION invitations_recipient_erasable();

CREATE TRIGGER invitations_risk_guard_insert BEFORE INSERT ON public.invitations
  FOR EACH ROW
  WHEN (((new.risk_level = 'high'::text) AND (new.guest_id IS NOT NULL)))
  EXECUTE FUNCTION invitations_risk_guard();

CREATE TRIGGER invitations_risk_guard_update BEFORE UPDATE ON public.invitations
  FOR EACH ROW
  WHEN (((old.risk_level IS DISTINCT FROM new.risk_level) OR ((new.risk_level = 'high'::text) AND (old.guest_id IS NULL) AND (new.guest_id IS NOT NULL))))
  EXECUTE FUNCTION invitations_risk_guard();

CREATE TRIGGER invitations_rollup_insert AFTER INSERT ON public.invitations
  REFERENCING NEW TABLE AS new_invitations
  FOR EACH STATEMENT
  EXECUTE FUNCTION invitations_rollup();

CREATE TRIGGER invitations_rollup_update AFTER UPDATE ON public.invitations
  REFERENCING OLD TABLE AS old_invitations NEW TABLE AS new_invitations
  FOR EACH STATEMENT
  EXECUTE FUNCTION invitations_rollup();

CREATE TRIGGER invitations_signal_codes_insert AFTER INSERT ON public.invitations
  FOR EACH ROW
  WHEN ((new.risk_signals IS NOT NULL))
  EXECUTE FUNCTION invitations_signal_codes();

CREATE TRIGGER invitations_signal_codes_update AFTER UPDATE OF risk_signals ON public.invitations
  FOR EACH ROW
  WHEN ((old.risk_signals IS DISTINCT FROM new.risk_signals))
  EXECUTE FUNCTION invitations_signal_codes();

CREATE TRIGGER invitations_webhooks_insert AFTER INSERT ON public.invitations
  FOR EACH ROW
  EXECUTE FUNCTION invitations_webhooks();

CREATE TRIGGER invitations_webhooks_update AFTER UPDATE ON public.invitations
  FOR EACH ROW
  WHEN (((old.guest_id IS DISTINCT FROM new.guest_id) OR (old.progress IS DISTINCT FROM new.progress) OR (old.completed_at IS DISTINCT FROM new.completed_at) OR (old.expired_at IS DISTINCT FROM new.expired_at)))
  EXECUTE FUNCTION invitations_webhooks();
