-- codeplan: applied whole

-- prisma/sql/functions/gateway_admit.sql
CREATE OR REPLACE FUNCTION public.gateway_admit(p jsonb)
 RETURNS TABLE(i integer, slot text, prompt_id text, outcome text, used_5h integer, oldest_5h timestamp with time zone, week_used integer, month_used integer, key_oldest_5h timestamp with time zone)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
#variable_conflict use_column
-- enable_seqscan off (for this call and the functions it calls): every statement here reads a few rows by key,
-- and its plan is made once per connection and kept. Planned while quota_slots (the calls in flight) or the tool
-- calls were small, a statement read them whole on every call, and quota_slots grows by every call's dead row until
-- autovacuum comes back: that was a fifth of the Postgres time of a call alone (tests/bench/admit-statements.ts).
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

-- prisma/sql/functions/gateway_report.sql
CREATE OR REPLACE FUNCTION public.gateway_report(p jsonb)
 RETURNS TABLE(i integer, first boolean)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- The usage reports of the reference gateway's calls, set-based (report.ts's statement for many): each report names
-- its prompt (the one its decision continued, else its own), records the tool calls its answer returned under that
-- prompt, and frees its call's slot. Committed without waiting for the disk flush, as the admission is
-- (gateway_admit): a database crash can lose the last fraction of a second of reports, never half of one, and a
-- flush was most of each report's wait. Each report looks up its continuation (LATERAL, OFFSET 0 so that it stays a
-- lookup): planned for the hundred rows Postgres guesses a jsonb_to_recordset holds, the join scanned the
-- continuations whole. enable_seqscan off for the same reason as in gateway_admit: the slot freed is found by its key,
-- never by reading quota_slots whole (small by its statistics, but holding every call's dead row until autovacuum).
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN QUERY
  WITH items AS (
    SELECT * FROM jsonb_to_recordset(p) AS j(n int, s uuid, q text, k uuid, m text, tool text, it int, ot int, ct int, cw int,
      t timestamptz, client text, network text, agent boolean, cid text, dev text, ids text[], slot uuid)),
  report AS (
    INSERT INTO "usage_reports" ("subscription_id", "request_id", "key_id", "model", "tool", "input_tokens", "output_tokens", "cached_tokens",
      "cache_write_tokens", "at", "client", "network", "agent_shaped", "client_id", "device", "prompt_id")
    SELECT x.s, x.q, x.k, lower(trim(x.m)), x.tool, x.it, x.ot, x.ct, x.cw, x.t, x.client, x.network, x.agent, x.cid, x.dev, COALESCE(c."prompt_id", x.q)
      FROM items x LEFT JOIN LATERAL (
        SELECT pc."prompt_id" FROM "prompt_continuations" pc WHERE pc."subscription_id" = x.s AND pc."request_id" = x.q OFFSET 0) c ON true
    ON CONFLICT DO NOTHING
    RETURNING "usage_reports"."subscription_id", "usage_reports"."request_id", "usage_reports"."prompt_id", "usage_reports"."at"),
  issued AS (
    INSERT INTO "gateway_tool_calls" ("subscription_id", "tool_call_id", "prompt_id", "issued_at")
    SELECT DISTINCT ON (r."subscription_id", id) r."subscription_id", id, r."prompt_id", r."at"
      FROM report r JOIN items x ON x.s = r."subscription_id" AND x.q = r."request_id", unnest(x.ids) AS id
     ORDER BY r."subscription_id", id, r."at" DESC
    ON CONFLICT ("subscription_id", "tool_call_id") DO UPDATE SET "prompt_id" = excluded."prompt_id", "issued_at" = excluded."issued_at"),
  freed AS (DELETE FROM "quota_slots" qs USING items x WHERE qs."subscription_id" = x.slot AND qs."request_id" = x.q)
  SELECT x.n, r."request_id" IS NOT NULL AND x.n = (SELECT min(y.n) FROM items y WHERE y.s = x.s AND y.q = x.q)
    FROM items x LEFT JOIN report r ON r."subscription_id" = x.s AND r."request_id" = x.q;
END $function$;

-- prisma/sql/functions/quota_consume.sql
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
