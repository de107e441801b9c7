CREATE OR REPLACE FUNCTION public.api_settle_write(p jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  moved int := 0;
  p_takes jsonb := p->'takes';
  p_calls jsonb := p->'calls';
  p_done jsonb := p->'done';
BEGIN
  IF jsonb_array_length(p_takes) > 0 THEN
    UPDATE "resource_packs" r SET "remaining_minor" = r."remaining_minor" - x.amount
      FROM jsonb_to_recordset(p_takes) AS x(id uuid, amount bigint)
     WHERE r."id" = x.id AND r."closed_at" IS NULL;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved <> jsonb_array_length(p_takes) THEN
      RAISE EXCEPTION 'a resource pack closed while calls were settled';
    END IF;
  END IF;
  PERFORM "ledger_post_many"(p->'postings');
  INSERT INTO "api_calls" ("user_id", "request_id", "key_id", "model", "currency", "input_tokens", "output_tokens", "cached_tokens",
      "fee_minor", "fee_micro", "pack_minor", "cash_minor", "bonus_minor", "uncollected_minor", "parts", "at")
  SELECT x.user_id, x.request_id, x.key_id, x.model, x.currency, x.input, x.output, x.cached, x.fee, x.fee_micro, x.pack, x.cash, x.bonus, x.uncollected, x.parts, x.at
    FROM jsonb_to_recordset(p_calls) AS x(user_id uuid, request_id text, key_id uuid, model text, currency text, input int, output int,
      cached int, fee bigint, fee_micro bigint, pack bigint, cash bigint, bonus bigint, uncollected bigint, parts jsonb, at timestamptz);
  INSERT INTO "api_accruals" ("user_id", "currency", "carry_micro", "updated_at")
  SELECT x.u, x.c, x.m, x.t FROM jsonb_to_recordset(COALESCE(p->'carries', '[]')) AS x(u uuid, c text, m bigint, t timestamptz)
  ON CONFLICT ("user_id", "currency") DO UPDATE SET "carry_micro" = EXCLUDED."carry_micro", "updated_at" = EXCLUDED."updated_at";
  DELETE FROM "api_holds" h USING jsonb_to_recordset(p_done) AS x(u uuid, r text)
   WHERE h."user_id" = x.u AND h."request_id" = x.r;
END $function$;
