-- The reference gateway's writes of one turn of its event loop in one round trip (lib/quota/gateway-rounds.ts):
-- the usage reports of the calls that ended, then the admissions of the calls that arrived. Reports first, as a
-- statement of their own: the slots they free are free for the admissions that follow. Rows: k = 'r' (a
-- report: `first`, whether it was the first for its request id) or 'a' (an admission: gateway_admit's row),
-- each with the index of its item in its own list.
--
-- A report names its prompt (the one its decision continued, else its own), records the tool calls its answer
-- returned under that prompt, and frees its call's slot. Committed without waiting for the disk flush, as the
-- admission is: a database crash can lose the last fraction of a second of reports, never half of one, and a
-- flush was most of each report's wait. Each report looks up its continuation (LATERAL, OFFSET 0 so that it
-- stays a lookup): planned for the hundred rows Postgres guesses a jsonb_to_recordset holds, the join scanned
-- the continuations whole, and they grow with every call.
CREATE OR REPLACE FUNCTION public.gateway_round(admits jsonb, reports jsonb)
 RETURNS TABLE(k text, i integer, first boolean, slot text, prompt_id text, outcome text, used_5h integer, oldest_5h timestamp with time zone, week_used integer, month_used integer, key_oldest_5h timestamp with time zone)
 LANGUAGE plpgsql
AS $function$
#variable_conflict use_column
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  IF jsonb_array_length(reports) > 0 THEN
    RETURN QUERY
    WITH items AS (
      SELECT * FROM jsonb_to_recordset(reports) AS j(n int, s uuid, q text, k uuid, m text, tool text, it int, ot int, ct int, cw int,
        t timestamptz, client text, network text, agent boolean, cid text, dev text, ids text[], slot uuid)),
    report AS (
      INSERT INTO "usage_reports" ("subscription_id", "request_id", "key_id", "model", "tool", "input_tokens", "output_tokens", "cached_tokens",
        "cache_write_tokens", "at", "client", "network", "agent_shaped", "client_id", "device", "prompt_id")
      SELECT x.s, x.q, x.k, lower(trim(x.m)), x.tool, x.it, x.ot, x.ct, x.cw, x.t, x.client, x.network, x.agent, x.cid, x.dev, COALESCE(c."prompt_id", x.q)
        FROM items x LEFT JOIN LATERAL (
          SELECT p."prompt_id" FROM "prompt_continuations" p WHERE p."subscription_id" = x.s AND p."request_id" = x.q OFFSET 0) c ON true
      ON CONFLICT DO NOTHING
      RETURNING "usage_reports"."subscription_id", "usage_reports"."request_id", "usage_reports"."prompt_id", "usage_reports"."at"),
    issued AS (
      INSERT INTO "gateway_tool_calls" ("subscription_id", "tool_call_id", "prompt_id", "issued_at")
      SELECT DISTINCT ON (r."subscription_id", id) r."subscription_id", id, r."prompt_id", r."at"
        FROM report r JOIN items x ON x.s = r."subscription_id" AND x.q = r."request_id", unnest(x.ids) AS id
       ORDER BY r."subscription_id", id, r."at" DESC
      ON CONFLICT ("subscription_id", "tool_call_id") DO UPDATE SET "prompt_id" = excluded."prompt_id", "issued_at" = excluded."issued_at"),
    freed AS (DELETE FROM "quota_slots" q USING items x WHERE q."subscription_id" = x.slot AND q."request_id" = x.q)
    SELECT 'r'::text, x.n, r."request_id" IS NOT NULL AND x.n = (SELECT min(y.n) FROM items y WHERE y.s = x.s AND y.q = x.q),
           NULL::text, NULL::text, NULL::text, NULL::int, NULL::timestamptz, NULL::int, NULL::int, NULL::timestamptz
      FROM items x LEFT JOIN report r ON r."subscription_id" = x.s AND r."request_id" = x.q;
  END IF;
  IF jsonb_array_length(admits) > 0 THEN
    RETURN QUERY
    SELECT 'a'::text, a.i, NULL::boolean, a.slot, a.prompt_id, a.outcome, a.used_5h, a.oldest_5h, a.week_used, a.month_used, a.key_oldest_5h
      FROM "gateway_admit"(admits) a;
  END IF;
END $function$;
