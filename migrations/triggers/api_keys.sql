CREATE TRIGGER api_keys_guard BEFORE UPDATE ON public.api_keys
  FOR EACH ROW
  EXECUTE FUNCTION api_keys_guard();
