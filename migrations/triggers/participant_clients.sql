CREATE TRIGGER participant_clients_erased_guard BEFORE INSERT OR UPDATE ON public.participant_clients
  FOR EACH ROW
  EXECUTE FUNCTION erased_participant_guard('participant_id');
