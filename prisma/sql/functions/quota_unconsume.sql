CREATE OR REPLACE FUNCTION public.quota_unconsume(p_sub uuid, p_request text, p_week_index integer, p_month_key integer)
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
DECLARE
  u record;
BEGIN
  PERFORM 1 FROM "quota_counters" WHERE "subscription_id" = p_sub FOR UPDATE;
  DELETE FROM "quota_uses" WHERE "subscription_id" = p_sub AND "request_id" = p_request RETURNING "pool", "units", "at" INTO u;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF u.pool = 'prompt' THEN
    UPDATE "quota_counters" SET "week_used" = GREATEST(0, "week_used" - u.units)
      WHERE "subscription_id" = p_sub AND "week_index" = p_week_index;
    UPDATE "quota_counters" SET "r5_used" = GREATEST(0, "r5_used" - u.units)
      WHERE "subscription_id" = p_sub AND "r5_edge" IS NOT NULL AND u.at > "r5_edge";
  ELSE
    UPDATE "quota_counters" SET "month_used" = GREATEST(0, "month_used" - u.units)
      WHERE "subscription_id" = p_sub AND "month_key" = p_month_key;
  END IF;
  RETURN true;
END $function$;
