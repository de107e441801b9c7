CREATE OR REPLACE FUNCTION public.api_reserve_many(p jsonb)
 RETURNS TABLE(i integer, outcome text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  x record;
BEGIN
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p) AS j(i int, u uuid, c text, r text, k uuid, m text, a bigint, t timestamptz, e timestamptz)
    ORDER BY 'api_balance:' || j.u::text || ':' || j.c, j.i
  LOOP
    i := x.i;
    outcome := "api_reserve"(x.u, x.c, x.r, x.k, x.m, x.a, x.t, x.e);
    RETURN NEXT;
  END LOOP;
END $function$;
