CREATE CONSTRAINT TRIGGER rollup_deltas_apply AFTER INSERT ON public.rollup_deltas
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW
  EXECUTE FUNCTION rollup_deltas_apply();

CREATE TRIGGER rollup_deltas_guard BEFORE INSERT OR UPDATE ON public.rollup_deltas
  FOR EACH ROW
  WHEN ((pg_trigger_depth() = 0))
  EXECUTE FUNCTION rollups_guard();
