CREATE TRIGGER raffle_winners_append_only BEFORE DELETE OR UPDATE ON public.raffle_winners
  FOR EACH ROW
  EXECUTE FUNCTION forbid_change();

CREATE TRIGGER raffle_winners_within_draw BEFORE INSERT ON public.raffle_winners
  FOR EACH ROW
  EXECUTE FUNCTION raffle_winners_within_draw();
