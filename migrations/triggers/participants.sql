CREATE TRIGGER participants_within_plan AFTER INSERT ON public.participants
  REFERENCING NEW TABLE AS new_participants
  FOR EACH STATEMENT
  EXECUTE FUNCTION participants_within_plan();

CREATE TRIGGER participants_webhooks_insert AFTER INSERT ON public.participants
  REFERENCING NEW TABLE AS new_participants
  FOR EACH STATEMENT
  EXECUTE FUNCTION participants_webhooks();

CREATE TRIGGER participants_webhooks_update AFTER UPDATE ON public.participants
  FOR EACH ROW
  WHEN ((((old.email IS DISTINCT FROM new.email) OR (old.phone IS DISTINCT FROM new.phone) OR (old.display_name IS DISTINCT FROM new.display_name) OR (old.stripe_customer_id IS DISTINCT FROM new.stripe_customer_id)) AND (new.erased_at IS NULL)))
  EXECUTE FUNCTION participants_webhooks();
