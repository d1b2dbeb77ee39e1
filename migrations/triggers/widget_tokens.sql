CREATE TRIGGER widget_tokens_minted_by_live_secret BEFORE INSERT ON public.widget_tokens
  FOR EACH ROW
  EXECUTE FUNCTION widget_tokens_minted_by_live_secret();
