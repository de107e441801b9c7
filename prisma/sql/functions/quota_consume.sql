CREATE OR REPLACE FUNCTION public.quota_consume(p_items jsonb)
 RETURNS TABLE(i integer, outcome text, used_5h integer, oldest_5h timestamp with time zone, week_used integer, month_used integer, key_limit_5h integer, key_used_5h integer, key_oldest_5h timestamp with time zone, key_limit_week integer, key_week_used integer)
 LANGUAGE plpgsql
AS $function$
DECLARE
  rounds int;
  subs uuid[];
  locked int;
BEGIN
  -- A batch of one (the gateway's usual admission) needs no statement to find its subscription and rounds.
  IF jsonb_typeof(p_items) = 'array' AND jsonb_array_length(p_items) = 1 THEN
    subs := ARRAY[(p_items->0->>'s')::uuid];
    rounds := 1;
  ELSE
    SELECT array_agg(DISTINCT j.s ORDER BY j.s), max(j.n) INTO subs, rounds
      FROM (SELECT x.s, count(*) OVER (PARTITION BY x.s) AS n FROM jsonb_to_recordset(p_items) AS x(s uuid)) j;
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
  FOR round IN 1..rounds LOOP
    RETURN QUERY
    WITH x AS (
      SELECT * FROM (
        SELECT j.*, row_number() OVER (PARTITION BY j.s ORDER BY j.i) AS rn, j.t - interval '5 hours' AS edge
          FROM jsonb_to_recordset(p_items) AS j(
            i int, s uuid, u timestamptz, k uuid, r text, kind "QuotaKind", pool text, m text, c int,
            t timestamptz, l5 int, lw int, wi int, ws timestamptz, lm int, mk int)) a
       WHERE a.rn = round
    ), d AS MATERIALIZED (
      SELECT x.*,
        CASE
          WHEN ak."id" IS NULL OR ak."revoked_at" IS NOT NULL THEN 'revoked'
          WHEN ak."expires_at" IS NOT NULL AND ak."expires_at" <= x.t THEN 'expired'
          WHEN ak."purpose" = 'payg' THEN 'not_coding'
          WHEN NOT EXISTS (SELECT 1 FROM "subscriptions" s WHERE s."id" = x.s AND s."status" = 'active' AND s."updated_at" = x.u) THEN 'stale'
          WHEN EXISTS (SELECT 1 FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."request_id" = x.r) THEN 'duplicate'
        END AS pre,
        CASE
          WHEN c."r5_edge" IS NULL OR x.edge - c."r5_edge" > interval '5 hours' THEN
            (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
              WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > x.edge)
          WHEN x.edge > c."r5_edge" THEN
            c."r5_used" - (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
              WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > c."r5_edge" AND q."at" <= x.edge)
          WHEN x.edge < c."r5_edge" THEN
            c."r5_used" + (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
              WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > x.edge AND q."at" <= c."r5_edge")
          ELSE c."r5_used"
        END AS r_used,
        (SELECT MIN(q."at") FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."pool" = 'prompt' AND q."at" > x.edge) AS r_oldest,
        CASE WHEN c."week_index" = x.wi THEN c."week_used" ELSE 0 END AS w_used,
        CASE WHEN c."month_key" = x.mk THEN c."month_used" ELSE 0 END AS m_used,
        ak."limit_5h" AS kl5, ak."limit_week" AS klw,
        -- Only a limited key reads its own uses, so keys without limits cost nothing more.
        CASE WHEN ak."limit_5h" IS NOT NULL AND x.pool = 'prompt' THEN
          (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
            WHERE q."key_id" = x.k AND q."at" > x.edge AND q."pool" = 'prompt' AND q."subscription_id" = x.s) ELSE 0 END AS k5_used,
        CASE WHEN ak."limit_5h" IS NOT NULL AND x.pool = 'prompt' THEN
          (SELECT MIN(q."at") FROM "quota_uses" q
            WHERE q."key_id" = x.k AND q."at" > x.edge AND q."pool" = 'prompt' AND q."subscription_id" = x.s) END AS k5_oldest,
        CASE WHEN ak."limit_week" IS NOT NULL AND x.pool = 'prompt' THEN
          (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
            WHERE q."key_id" = x.k AND q."at" >= x.ws AND q."pool" = 'prompt' AND q."subscription_id" = x.s) ELSE 0 END AS kw_used
      FROM x JOIN "quota_counters" c ON c."subscription_id" = x.s
        LEFT JOIN "api_keys" ak ON ak."id" = x.k
    ), o AS (
      SELECT d.*, COALESCE(d.pre, CASE
          WHEN d.pool = 'prompt' AND d.r_used + d.c > d.l5 THEN 'denied_5h'
          WHEN d.pool = 'prompt' AND d.kl5 IS NOT NULL AND d.k5_used + d.c > d.kl5 THEN 'denied_key_5h'
          WHEN d.pool = 'prompt' AND d.lw IS NOT NULL AND d.w_used + d.c > d.lw THEN 'denied_weekly'
          WHEN d.pool = 'prompt' AND d.klw IS NOT NULL AND d.kw_used + d.c > d.klw THEN 'denied_key_weekly'
          WHEN d.pool <> 'prompt' AND d.m_used + d.c > d.lm THEN 'denied_monthly'
          ELSE 'allowed'
        END) AS outcome
      FROM d
    ), a AS (
      SELECT o.i, o.outcome,
        CASE WHEN o.outcome = 'allowed' AND o.pool = 'prompt' THEN o.r_used + o.c ELSE o.r_used END AS r_used,
        CASE WHEN o.outcome = 'allowed' AND o.pool = 'prompt' THEN LEAST(o.r_oldest, o.t) ELSE o.r_oldest END AS r_oldest,
        CASE WHEN o.outcome = 'allowed' AND o.pool = 'prompt' THEN o.w_used + o.c ELSE o.w_used END AS w_used,
        CASE WHEN o.outcome = 'allowed' AND o.pool <> 'prompt' THEN o.m_used + o.c ELSE o.m_used END AS m_used,
        o.kl5, o.klw,
        CASE WHEN o.outcome = 'allowed' AND o.kl5 IS NOT NULL AND o.pool = 'prompt' THEN o.k5_used + o.c ELSE o.k5_used END AS k5_used,
        CASE WHEN o.outcome = 'allowed' AND o.kl5 IS NOT NULL AND o.pool = 'prompt' THEN LEAST(o.k5_oldest, o.t) ELSE o.k5_oldest END AS k5_oldest,
        CASE WHEN o.outcome = 'allowed' AND o.klw IS NOT NULL AND o.pool = 'prompt' THEN o.kw_used + o.c ELSE o.kw_used END AS kw_used,
        o.s, o.r, o.k, o.kind, o.pool, o.m, o.c, o.t, o.edge, o.wi, o.mk
      FROM o
    ), used AS (
      INSERT INTO "quota_uses" ("subscription_id", "request_id", "key_id", "kind", "pool", "model", "units", "at")
      SELECT a.s, a.r, a.k, a.kind, a.pool, a.m, a.c, a.t FROM a WHERE a.outcome = 'allowed'
    ), seen AS (
      UPDATE "api_keys" k SET "last_used_at" = a.t FROM a
       WHERE a.outcome = 'allowed' AND k."id" = a.k AND (k."last_used_at" IS NULL OR k."last_used_at" < a.t - interval '1 minute')
    ), counted AS (
      UPDATE "quota_counters" q SET "week_index" = a.wi, "week_used" = a.w_used, "month_key" = a.mk, "month_used" = a.m_used,
             "r5_used" = a.r_used, "r5_edge" = a.edge
        FROM a WHERE a.outcome = 'allowed' AND q."subscription_id" = a.s
    )
    SELECT a.i, a.outcome, a.r_used, a.r_oldest, a.w_used, a.m_used, a.kl5, a.k5_used, a.k5_oldest, a.klw, a.kw_used FROM a;
  END LOOP;
END $function$;
