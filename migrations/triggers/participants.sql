CREATE TRIGGER participants_within_plan AFTER INSERT ON public.participants
  REFERENCING NEW TABLE AS new_participants
  FOR EACH STATEMENT
  EXECUTE FUNCTION participants_within_plan();
