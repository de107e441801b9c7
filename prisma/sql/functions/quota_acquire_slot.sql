CREATE OR REPLACE FUNCTION public.quota_acquire_slot(p_sub uuid, p_key uuid, p_request text, p_limit integer, p_now timestamp with time zone, p_lease_until timestamp with time zone)
 RETURNS TABLE(outcome text, held integer)
 LANGUAGE plpgsql
AS $function$
-- QUOTA-8: one of the subscription's slots for a request, or a renewal of the one it holds, under the lock of the
-- subscription's counters row. Runs once per model call (gateway_admit), so it takes as few statements as it can:
-- the counters row is locked first and inserted only when missing, and the expired slots go in the statement that
-- counts the live ones and finds this request's own (a data-modifying CTE: the count reads the snapshot before
-- the delete, hence the filter on the lease).
DECLARE
  n int;
  mine boolean;
BEGIN
  PERFORM 1 FROM "quota_counters" WHERE "subscription_id" = p_sub FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO "quota_counters" ("subscription_id") VALUES (p_sub) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM "quota_counters" WHERE "subscription_id" = p_sub FOR UPDATE;
  END IF;
  WITH expired AS (DELETE FROM "quota_slots" WHERE "subscription_id" = p_sub AND "lease_until" <= p_now)
  SELECT count(*)::int, coalesce(bool_or("request_id" = p_request), false) INTO n, mine
    FROM "quota_slots" WHERE "subscription_id" = p_sub AND "lease_until" > p_now;
  IF mine THEN
    UPDATE "quota_slots" SET "lease_until" = p_lease_until WHERE "subscription_id" = p_sub AND "request_id" = p_request;
    outcome := 'renewed';
    held := n;
  ELSIF n >= p_limit THEN
    outcome := 'denied';
    held := n;
  ELSE
    INSERT INTO "quota_slots" ("subscription_id", "request_id", "key_id", "acquired_at", "lease_until")
      VALUES (p_sub, p_request, p_key, p_now, p_lease_until);
    outcome := 'acquired';
    held := n + 1;
  END IF;
  RETURN NEXT;
END $function$;
