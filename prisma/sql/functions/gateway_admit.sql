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
