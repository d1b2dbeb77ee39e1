CREATE TRIGGER webhook_messages_guard BEFORE UPDATE ON public.webhook_messages
  FOR EACH ROW
  EXECUTE FUNCTION webhook_messages_guard();
