CREATE OR REPLACE FUNCTION public.quota_acquire_slots(p jsonb)
 RETURNS TABLE(i integer, outcome text, held integer)
 LANGUAGE plpgsql
AS $function$
DECLARE
  x record;
  got record;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p) AS j(n int, s uuid, k uuid, q text, l int, t timestamptz, u timestamptz)
    ORDER BY j.s, j.n
  LOOP
    SELECT a.outcome AS o, a.held AS h INTO got FROM "quota_acquire_slot"(x.s, x.k, x.q, x.l, x.t, x.u) a;
    i := x.n;
    outcome := got.o;
    held := got.h;
    RETURN NEXT;
  END LOOP;
END $function$;
