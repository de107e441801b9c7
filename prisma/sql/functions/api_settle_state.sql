CREATE OR REPLACE FUNCTION public.api_settle_state(p jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  k text;
  p_calls jsonb := p->'calls';
  p_users uuid[] := ARRAY(SELECT jsonb_array_elements_text(p->'users'))::uuid[];
  p_earliest timestamptz := (p->>'earliest')::timestamptz;
BEGIN
  FOR k IN SELECT jsonb_array_elements_text(p->'locks') ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(k, 0));
  END LOOP;
  RETURN jsonb_build_object(
    'settled', (SELECT COALESCE(jsonb_agg(c."user_id"::text || ':' || c."request_id"), '[]') FROM "api_calls" c
                  WHERE (c."user_id", c."request_id") IN (SELECT x.u, x.r FROM jsonb_to_recordset(p_calls) AS x(u uuid, r text))),
    'balances', (SELECT COALESCE(jsonb_agg(jsonb_build_object('user_id', a."user_id", 'currency', a."currency", 'kind', a."kind", 'balance_minor', a."balance_minor"::text)), '[]')
                   FROM "ledger_accounts" a WHERE a."user_id" = ANY(p_users) AND a."kind"::text IN ('user_cash', 'user_credits')),
    'packs', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', r."id", 'user_id', r."user_id", 'currency', r."currency", 'remaining_minor', r."remaining_minor"::text,
                                                            'expires_at', r."expires_at", 'created_at', r."created_at")), '[]')
                FROM "resource_packs" r WHERE r."user_id" = ANY(p_users) AND r."closed_at" IS NULL AND r."activated_at" IS NOT NULL
                 AND r."expires_at" > p_earliest AND r."remaining_minor" > 0),
    'holds', (SELECT COALESCE(jsonb_agg(jsonb_build_object('user_id', h."user_id", 'request_id', h."request_id", 'currency', h."currency",
                                                            'amount_minor', h."amount_minor"::text, 'expires_at', h."expires_at")), '[]')
                FROM "api_holds" h WHERE h."user_id" = ANY(p_users)),
    'carries', (SELECT COALESCE(jsonb_agg(jsonb_build_object('user_id', a."user_id", 'currency', a."currency", 'carry_micro', a."carry_micro"::text)), '[]')
                  FROM "api_accruals" a WHERE a."user_id" = ANY(p_users)));
END $function$;
