-- QUOTA-1, QUOTA-8: the reference gateway's admission of the calls that
-- arrive together, in one round trip and one commit instead of two or three:
-- each call's concurrency slot (quota_acquire_slot, in subscription order,
-- the order quota_consume locks the counter rows in), then for the calls
-- that got one either the continuation of a prompt (a call whose tool
-- results answer tool calls the gateway returned to this subscription within
-- the tool-loop time, written to prompt_continuations as
-- lib/quota/tool-loops.ts does) or the decision (quota_consume), and the
-- slot given back in the same transaction when the call is refused or its
-- subscription changed under the caller's cache. Outcomes per item: slot
-- (acquired, renewed, denied), and for a call with a slot: continued (with
-- its prompt), stale, or quota_consume's outcome with its counts.
-- Committed without waiting for the disk flush, as slots and holds are: a
-- database crash can lose the last fraction of a second of prompts counted,
-- never half of one, and a flush per batch was the largest part of each
-- call's wait on this kind of disk (README, "Measured").
CREATE FUNCTION "gateway_admit"(p jsonb)
RETURNS TABLE (i int, slot text, prompt_id text, outcome text, used_5h int, oldest_5h timestamptz, week_used int, month_used int)
LANGUAGE plpgsql AS E'
#variable_conflict use_column
DECLARE
  x record\073
  got record\073
  slots text[] := ''{}''\073
  prompts text[] := ''{}''\073
  fresh boolean[] := ''{}''\073
  asked int[]\073
  found_prompts text[]\073
  found_fresh boolean[]\073
  decided jsonb\073
  outcomes text[] := ''{}''\073
  u5 int[] := ''{}''\073
  o5 timestamptz[] := ''{}''\073
  wu int[] := ''{}''\073
  mu int[] := ''{}''\073
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p) AS j(i int, s uuid, k uuid, r text, sl int, t timestamptz, lease timestamptz)
    ORDER BY j.s, j.i
  LOOP
    SELECT a.outcome AS o INTO got FROM "quota_acquire_slot"(x.s, x.k, x.r, x.sl, x.t, x.lease) a\073
    slots[x.i + 1] := got.o\073
  END LOOP\073
  -- The continuations of the calls with a slot that carry tool results: every id a tool call the gateway
  -- returned to this subscription within the tool-loop time, found by its key, its time judged on the rows found.
  -- Each item looks up its own rows (LATERAL, OFFSET 0 so that it stays a lookup): planned for the hundred rows
  -- Postgres guesses a jsonb_to_recordset holds, the joins scanned both tables whole, and the tool calls grow.
  WITH items AS (
    SELECT j.* FROM jsonb_to_recordset(p) AS j(i int, s uuid, u timestamptz, r text, ids text[], t timestamptz, since timestamptz)
     WHERE cardinality(j.ids) > 0 AND slots[j.i + 1] <> ''denied''),
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
    FROM items x JOIN ok f ON f.i = x.i LEFT JOIN written w ON w."subscription_id" = x.s AND w."request_id" = x.r\073
  FOR n IN 1..coalesce(cardinality(asked), 0) LOOP
    prompts[asked[n] + 1] := found_prompts[n]\073
    fresh[asked[n] + 1] := found_fresh[n]\073
  END LOOP\073
  -- The rest of the calls with a slot are decided: those without tool results, and those whose tool results continue nothing.
  SELECT jsonb_agg(e) INTO decided FROM jsonb_array_elements(p) e
   WHERE slots[(e->>''i'')::int + 1] <> ''denied'' AND prompts[(e->>''i'')::int + 1] IS NULL AND fresh[(e->>''i'')::int + 1] IS NOT false\073
  IF decided IS NOT NULL THEN
    FOR x IN SELECT * FROM "quota_consume"(decided) LOOP
      outcomes[x.i + 1] := x.outcome\073
      u5[x.i + 1] := x.used_5h\073
      o5[x.i + 1] := x.oldest_5h\073
      wu[x.i + 1] := x.week_used\073
      mu[x.i + 1] := x.month_used\073
    END LOOP\073
  END IF\073
  -- A refused or stale call gives its slot back at once.
  DELETE FROM "quota_slots" q USING jsonb_to_recordset(p) AS j(i int, s uuid, r text)
   WHERE q."subscription_id" = j.s AND q."request_id" = j.r AND slots[j.i + 1] <> ''denied''
     AND prompts[j.i + 1] IS NULL AND coalesce(outcomes[j.i + 1], ''stale'') NOT IN (''allowed'', ''duplicate'')\073
  FOR x IN SELECT j.i FROM jsonb_to_recordset(p) AS j(i int) ORDER BY j.i LOOP
    i := x.i\073
    slot := slots[x.i + 1]\073
    prompt_id := prompts[x.i + 1]\073
    outcome := CASE WHEN slot = ''denied'' THEN NULL WHEN prompt_id IS NOT NULL THEN ''continued'' ELSE coalesce(outcomes[x.i + 1], ''stale'') END\073
    used_5h := u5[x.i + 1]\073
    oldest_5h := o5[x.i + 1]\073
    week_used := wu[x.i + 1]\073
    month_used := mu[x.i + 1]\073
    RETURN NEXT\073
  END LOOP\073
END ';
