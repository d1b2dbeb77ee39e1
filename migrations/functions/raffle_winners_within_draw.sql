-- A draw has no more winners than it asked for.
CREATE OR REPLACE FUNCTION raffle_winners_within_draw() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
  IF NEW.place > (SELECT d.winners FROM raffle_draws d WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.draw_id) THEN
    RAISE EXCEPTION 'draw % asked for fewer winners', NEW.draw_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'raffle_winners_within_draw', DETAIL = 'constraint "raffle_winners_within_draw"';
  END IF;
  RETURN NEW;
END
$$;
