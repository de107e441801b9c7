CREATE OR REPLACE FUNCTION public.quota_acquire_slot(p_sub uuid, p_key uuid, p_request text, p_limit integer, p_now timestamp with time zone, p_lease_until timestamp with time zone)
 RETURNS TABLE(outcome text, held integer)
 LANGUAGE plpgsql
AS $function$
DECLARE
  n int;
BEGIN
  INSERT INTO "quota_counters" ("subscription_id") VALUES (p_sub) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM "quota_counters" WHERE "subscription_id" = p_sub FOR UPDATE;
  DELETE FROM "quota_slots" WHERE "subscription_id" = p_sub AND "lease_until" <= p_now;
  UPDATE "quota_slots" SET "lease_until" = p_lease_until WHERE "subscription_id" = p_sub AND "request_id" = p_request;
  IF FOUND THEN
    RETURN QUERY SELECT 'renewed'::text, (SELECT count(*)::int FROM "quota_slots" WHERE "subscription_id" = p_sub);
    RETURN;
  END IF;
  SELECT count(*)::int INTO n FROM "quota_slots" WHERE "subscription_id" = p_sub;
  IF n >= p_limit THEN
    RETURN QUERY SELECT 'denied'::text, n;
  ELSE
    INSERT INTO "quota_slots" ("subscription_id", "request_id", "key_id", "acquired_at", "lease_until")
      VALUES (p_sub, p_request, p_key, p_now, p_lease_until);
    RETURN QUERY SELECT 'acquired'::text, n + 1;
  END IF;
END $function$;
