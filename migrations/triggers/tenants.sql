CREATE TRIGGER tenants_start_free BEFORE INSERT ON public.tenants
  FOR EACH ROW
  EXECUTE FUNCTION tenants_start_free();
