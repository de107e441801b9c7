CREATE OR REPLACE FUNCTION public.quota_consume(p_items jsonb)
 RETURNS TABLE(i integer, outcome text, used_5h integer, oldest_5h timestamp with time zone, week_used integer, month_used integer, key_limit_5h integer, key_used_5h integer, key_oldest_5h timestamp with time zone, key_limit_week integer, key_week_used integer)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
#variable_conflict use_column
-- QUOTA-1..3, KEY-1: each item is decided and, when allowed, counted, under the lock of its subscription's counters
-- row, in the batch's order, so that two items of one subscription see each other. Item by item in small statements,
-- each run only when its answer is needed: one set-based statement for the whole batch had a dozen subqueries that
-- Postgres prepared on every call whether they ran or not, and that preparation was most of a call's cost when, as
-- at the gateway, the batch holds one item (tests/bench/admit-statements.ts). enable_seqscan off: every read here is
-- a few rows by key, and plans made while a table was small must not read it whole once it has grown.
DECLARE
  x record;
  ak record;
  c record;
  subs uuid[];
  locked int;
  edge timestamptz;
  pre text;
  r_used int;
  w_used int;
  m_used int;
  k5_used int;
  k5_oldest timestamptz;
  kw_used int;
  r_oldest timestamptz;
BEGIN
  -- A batch of one (the gateway's usual admission) needs no statement to find its subscription.
  IF jsonb_typeof(p_items) = 'array' AND jsonb_array_length(p_items) = 1 THEN
    subs := ARRAY[(p_items->0->>'s')::uuid];
  ELSE
    SELECT array_agg(DISTINCT j.s ORDER BY j.s) INTO subs FROM jsonb_to_recordset(p_items) AS j(s uuid);
  END IF;
  IF subs IS NULL THEN
    RETURN;
  END IF;
  PERFORM 1 FROM "quota_counters" q WHERE q."subscription_id" = ANY(subs) ORDER BY q."subscription_id" FOR UPDATE;
  GET DIAGNOSTICS locked = ROW_COUNT;
  IF locked < cardinality(subs) THEN
    INSERT INTO "quota_counters" ("subscription_id") SELECT unnest(subs) ORDER BY 1 ON CONFLICT DO NOTHING;
    PERFORM 1 FROM "quota_counters" q WHERE q."subscription_id" = ANY(subs) ORDER BY q."subscription_id" FOR UPDATE;
  END IF;
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p_items) AS j(
      i int, s uuid, u timestamptz, k uuid, r text, kind "QuotaKind", pool text, m text, c int,
      t timestamptz, l5 int, lw int, wi int, ws timestamptz, lm int, mk int)
    ORDER BY j.i
  LOOP
    edge := x.t - interval '5 hours';
    SELECT k."revoked_at", k."expires_at", k."purpose", k."limit_5h", k."limit_week", k."last_used_at" INTO ak
      FROM "api_keys" k WHERE k."id" = x.k;
    pre := CASE
      WHEN NOT FOUND OR ak."revoked_at" IS NOT NULL THEN 'revoked'
      WHEN ak."expires_at" IS NOT NULL AND ak."expires_at" <= x.t THEN 'expired'
      WHEN ak."purpose" = 'payg' THEN 'not_coding'
    END;
    IF pre IS NULL AND NOT EXISTS (
      SELECT 1 FROM "subscriptions" s WHERE s."id" = x.s AND s."status" = 'active' AND s."updated_at" = x.u) THEN
      pre := 'stale';
    ELSIF pre IS NULL AND EXISTS (SELECT 1 FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."request_id" = x.r) THEN
      pre := 'duplicate';
    END IF;
    SELECT q."r5_edge", q."r5_used", q."week_index", q."week_used", q."month_key", q."month_used" INTO c
      FROM "quota_counters" q WHERE q."subscription_id" = x.s;
    -- The 5-hour window's count moves with the counters row's edge: what left or entered the window since is
    -- added or taken away; recounted whole when the edge is unknown or more than a window old.
    IF c."r5_edge" IS NULL OR edge - c."r5_edge" > interval '5 hours' THEN
      SELECT COALESCE(SUM(q."units"), 0)::int INTO r_used FROM "quota_uses" q
       WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > edge;
    ELSIF edge > c."r5_edge" THEN
      SELECT c."r5_used" - COALESCE(SUM(q."units"), 0)::int INTO r_used FROM "quota_uses" q
       WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > c."r5_edge" AND q."at" <= edge;
    ELSIF edge < c."r5_edge" THEN
      SELECT c."r5_used" + COALESCE(SUM(q."units"), 0)::int INTO r_used FROM "quota_uses" q
       WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > edge AND q."at" <= c."r5_edge";
    ELSE
      r_used := c."r5_used";
    END IF;
    SELECT MIN(q."at") INTO r_oldest FROM "quota_uses" q
     WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > edge;
    w_used := CASE WHEN c."week_index" = x.wi THEN c."week_used" ELSE 0 END;
    m_used := CASE WHEN c."month_key" = x.mk THEN c."month_used" ELSE 0 END;
    -- Only a limited key reads its own uses, so keys without limits cost nothing more.
    k5_used := 0;
    k5_oldest := NULL;
    kw_used := 0;
    IF ak."limit_5h" IS NOT NULL AND x.pool = 'prompt' THEN
      SELECT COALESCE(SUM(q."units"), 0)::int, MIN(q."at") INTO k5_used, k5_oldest FROM "quota_uses" q
       WHERE q."key_id" = x.k AND q."at" > edge AND q."pool" = 'prompt' AND q."subscription_id" = x.s;
    END IF;
    IF ak."limit_week" IS NOT NULL AND x.pool = 'prompt' THEN
      SELECT COALESCE(SUM(q."units"), 0)::int INTO kw_used FROM "quota_uses" q
       WHERE q."key_id" = x.k AND q."at" >= x.ws AND q."pool" = 'prompt' AND q."subscription_id" = x.s;
    END IF;
    outcome := COALESCE(pre, CASE
      WHEN x.pool = 'prompt' AND r_used + x.c > x.l5 THEN 'denied_5h'
      WHEN x.pool = 'prompt' AND ak."limit_5h" IS NOT NULL AND k5_used + x.c > ak."limit_5h" THEN 'denied_key_5h'
      WHEN x.pool = 'prompt' AND x.lw IS NOT NULL AND w_used + x.c > x.lw THEN 'denied_weekly'
      WHEN x.pool = 'prompt' AND ak."limit_week" IS NOT NULL AND kw_used + x.c > ak."limit_week" THEN 'denied_key_weekly'
      WHEN x.pool <> 'prompt' AND m_used + x.c > x.lm THEN 'denied_monthly'
      ELSE 'allowed'
    END);
    IF outcome = 'allowed' THEN
      IF x.pool = 'prompt' THEN
        r_used := r_used + x.c;
        r_oldest := LEAST(r_oldest, x.t);
        w_used := w_used + x.c;
        IF ak."limit_5h" IS NOT NULL THEN
          k5_used := k5_used + x.c;
          k5_oldest := LEAST(k5_oldest, x.t);
        END IF;
        IF ak."limit_week" IS NOT NULL THEN
          kw_used := kw_used + x.c;
        END IF;
      ELSE
        m_used := m_used + x.c;
      END IF;
      INSERT INTO "quota_uses" ("subscription_id", "request_id", "key_id", "kind", "pool", "model", "units", "at")
        VALUES (x.s, x.r, x.k, x.kind, x.pool, x.m, x.c, x.t);
      IF ak."last_used_at" IS NULL OR ak."last_used_at" < x.t - interval '1 minute' THEN
        UPDATE "api_keys" k SET "last_used_at" = x.t
         WHERE k."id" = x.k AND (k."last_used_at" IS NULL OR k."last_used_at" < x.t - interval '1 minute');
      END IF;
      UPDATE "quota_counters" q SET "week_index" = x.wi, "week_used" = w_used, "month_key" = x.mk, "month_used" = m_used,
             "r5_used" = r_used, "r5_edge" = edge
       WHERE q."subscription_id" = x.s;
    END IF;
    i := x.i;
    used_5h := r_used;
    oldest_5h := r_oldest;
    week_used := w_used;
    month_used := m_used;
    key_limit_5h := ak."limit_5h";
    key_used_5h := k5_used;
    key_oldest_5h := k5_oldest;
    key_limit_week := ak."limit_week";
    key_week_used := kw_used;
    RETURN NEXT;
  END LOOP;
END $function$;
