CREATE TRIGGER tenants_add_builtin_events AFTER INSERT ON public.tenants
  FOR EACH ROW
  EXECUTE FUNCTION tenants_add_builtin_events();

CREATE TRIGGER tenants_start_free BEFORE INSERT ON public.tenants
  FOR EACH ROW
  EXECUTE FUNCTION tenants_start_free();
