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
