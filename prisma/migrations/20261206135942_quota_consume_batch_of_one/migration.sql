-- codeplan: applied whole

-- prisma/sql/functions/gateway_admit.sql
CREATE OR REPLACE FUNCTION public.gateway_admit(p jsonb)
 RETURNS TABLE(i integer, slot text, prompt_id text, outcome text, used_5h integer, oldest_5h timestamp with time zone, week_used integer, month_used integer, key_oldest_5h timestamp with time zone)
 LANGUAGE plpgsql
AS $function$
#variable_conflict use_column
DECLARE
  x record;
  got record;
  slots text[] := '{}';
  prompts text[] := '{}';
  fresh boolean[] := '{}';
  asked int[];
  found_prompts text[];
  found_fresh boolean[];
  decided jsonb;
  outcomes text[] := '{}';
  u5 int[] := '{}';
  o5 timestamptz[] := '{}';
  wu int[] := '{}';
  mu int[] := '{}';
  k5 timestamptz[] := '{}';
  -- What the batch holds, so that a step none of its calls needs is not run (a batch is most often one call).
  carrying int := 0;
  undecided int := 0;
  gone_s uuid[] := '{}';
  gone_r text[] := '{}';
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p) AS j(i int, s uuid, k uuid, r text, sl int, t timestamptz, lease timestamptz, ids text[])
    ORDER BY j.s, j.i
  LOOP
    SELECT a.outcome AS o INTO got FROM "quota_acquire_slot"(x.s, x.k, x.r, x.sl, x.t, x.lease) a;
    slots[x.i + 1] := got.o;
    IF got.o <> 'denied' AND cardinality(x.ids) > 0 THEN
      carrying := carrying + 1;
    END IF;
  END LOOP;
  -- The continuations of the calls with a slot that carry tool results: every id a tool call the gateway
  -- returned to this subscription within the tool-loop time, found by its key, its time judged on the rows found.
  -- Each item looks up its own rows (LATERAL, OFFSET 0 so that it stays a lookup): planned for the hundred rows
  -- Postgres guesses a jsonb_to_recordset holds, the joins scanned both tables whole, and the tool calls grow.
  IF carrying > 0 THEN
    WITH items AS (
      SELECT j.* FROM jsonb_to_recordset(p) AS j(i int, s uuid, u timestamptz, r text, ids text[], t timestamptz, since timestamptz)
       WHERE cardinality(j.ids) > 0 AND slots[j.i + 1] <> 'denied'),
    ok AS (
      SELECT x.i, f.ok IS NOT NULL AS ok FROM items x
        LEFT JOIN LATERAL (SELECT true AS ok FROM "subscriptions" s WHERE s."id" = x.s AND s."updated_at" = x.u OFFSET 0) f ON true),
    known AS (
      SELECT x.i, c."prompt_id", c."issued_at", c."issued_at" > x.since AND c."issued_at" <= x.t AS live
        FROM items x CROSS JOIN LATERAL (
          SELECT * FROM "gateway_tool_calls" g WHERE g."subscription_id" = x.s AND g."tool_call_id" = ANY(x.ids) OFFSET 0) c),
    prompt AS (
      SELECT k.i, (array_agg(k."prompt_id" ORDER BY k."issued_at" DESC))[1] AS "prompt_id"
        FROM known k JOIN items x ON x.i = k.i JOIN ok f ON f.i = k.i AND f.ok
       GROUP BY k.i, x.ids
      HAVING count(*) FILTER (WHERE k.live) = cardinality(x.ids)),
    written AS (
      INSERT INTO "prompt_continuations" ("subscription_id", "request_id", "prompt_id", "at")
      SELECT x.s, x.r, w."prompt_id", x.t FROM prompt w JOIN items x ON x.i = w.i
      ON CONFLICT ("subscription_id", "request_id") DO UPDATE SET "prompt_id" = "prompt_continuations"."prompt_id"
      RETURNING "prompt_continuations"."subscription_id", "prompt_continuations"."request_id", "prompt_continuations"."prompt_id")
    SELECT array_agg(x.i), array_agg(w."prompt_id"), array_agg(f.ok) INTO asked, found_prompts, found_fresh
      FROM items x JOIN ok f ON f.i = x.i LEFT JOIN written w ON w."subscription_id" = x.s AND w."request_id" = x.r;
    FOR n IN 1..coalesce(cardinality(asked), 0) LOOP
      prompts[asked[n] + 1] := found_prompts[n];
      fresh[asked[n] + 1] := found_fresh[n];
    END LOOP;
  END IF;
  FOR n IN 1..coalesce(cardinality(slots), 0) LOOP
    IF slots[n] <> 'denied' AND prompts[n] IS NULL AND fresh[n] IS NOT false THEN
      undecided := undecided + 1;
    END IF;
  END LOOP;
  -- The rest of the calls with a slot are decided: those without tool results, and those whose tool results continue nothing.
  IF undecided = cardinality(slots) THEN
    decided := p;
  ELSIF undecided > 0 THEN
    SELECT jsonb_agg(e) INTO decided FROM jsonb_array_elements(p) e
     WHERE slots[(e->>'i')::int + 1] <> 'denied' AND prompts[(e->>'i')::int + 1] IS NULL AND fresh[(e->>'i')::int + 1] IS NOT false;
  END IF;
  IF undecided > 0 THEN
    FOR x IN SELECT * FROM "quota_consume"(decided) LOOP
      outcomes[x.i + 1] := x.outcome;
      u5[x.i + 1] := x.used_5h;
      o5[x.i + 1] := x.oldest_5h;
      wu[x.i + 1] := x.week_used;
      mu[x.i + 1] := x.month_used;
      k5[x.i + 1] := x.key_oldest_5h;
    END LOOP;
  END IF;
  FOR x IN SELECT j.i, j.s, j.r FROM jsonb_to_recordset(p) AS j(i int, s uuid, r text) ORDER BY j.i LOOP
    i := x.i;
    slot := slots[x.i + 1];
    prompt_id := prompts[x.i + 1];
    outcome := CASE WHEN slot = 'denied' THEN NULL WHEN prompt_id IS NOT NULL THEN 'continued' ELSE coalesce(outcomes[x.i + 1], 'stale') END;
    used_5h := u5[x.i + 1];
    oldest_5h := o5[x.i + 1];
    week_used := wu[x.i + 1];
    month_used := mu[x.i + 1];
    key_oldest_5h := k5[x.i + 1];
    -- A refused or stale call gives its slot back at once (below, by its key: most batches have none).
    IF slot <> 'denied' AND prompt_id IS NULL AND outcome NOT IN ('allowed', 'duplicate') THEN
      gone_s := gone_s || x.s;
      gone_r := gone_r || x.r;
    END IF;
    RETURN NEXT;
  END LOOP;
  IF cardinality(gone_s) > 0 THEN
    DELETE FROM "quota_slots" q USING unnest(gone_s, gone_r) AS g(s, r) WHERE q."subscription_id" = g.s AND q."request_id" = g.r;
  END IF;
END $function$;

-- prisma/sql/functions/quota_consume.sql
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
