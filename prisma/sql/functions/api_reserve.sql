CREATE OR REPLACE FUNCTION public.api_reserve(p_user uuid, p_currency text, p_request text, p_key uuid, p_model text, p_fee_micro bigint, p_now timestamp with time zone, p_expires timestamp with time zone)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_status text;
  v_wallet bigint;
  v_packs bigint;
  v_held bigint;
  v_carry bigint;
  v_amount bigint;
  v_cap bigint;
  v_zone text;
  v_day timestamptz;
  v_key_spent bigint;
  v_key_held bigint;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(hashtextextended('api_balance:' || p_user::text || ':' || p_currency, 0));
  SELECT u."status"::text, r."time_zone" INTO v_status, v_zone FROM "users" u LEFT JOIN "billing_regions" r ON r."region" = u."region" WHERE u."id" = p_user;
  IF v_status IS NULL OR v_status = 'banned' THEN RETURN 'banned'; END IF;
  IF EXISTS (SELECT 1 FROM "api_holds" WHERE "user_id" = p_user AND "request_id" = p_request)
     OR EXISTS (SELECT 1 FROM "api_calls" WHERE "user_id" = p_user AND "request_id" = p_request) THEN
    RETURN 'duplicate';
  END IF;
  SELECT COALESCE(MAX("carry_micro"), 0) INTO v_carry FROM "api_accruals" WHERE "user_id" = p_user AND "currency" = p_currency;
  v_amount := GREATEST((v_carry + GREATEST(p_fee_micro, 0) + 999999) / 1000000, 1);
  SELECT "payg_daily_cap_minor" INTO v_cap FROM "api_keys" WHERE "id" = p_key;
  IF v_cap IS NOT NULL THEN
    v_day := date_trunc('day', p_now AT TIME ZONE COALESCE(v_zone, 'UTC')) AT TIME ZONE COALESCE(v_zone, 'UTC');
    SELECT COALESCE((SUM("fee_micro") + 999999) / 1000000, 0) INTO v_key_spent FROM "api_calls"
     WHERE "user_id" = p_user AND "at" >= v_day AND "key_id" = p_key AND "currency" = p_currency;
    SELECT COALESCE(SUM("amount_minor"), 0) INTO v_key_held FROM "api_holds"
     WHERE "user_id" = p_user AND "key_id" = p_key AND "currency" = p_currency AND "expires_at" > p_now;
    IF v_key_spent + v_key_held + v_amount > v_cap THEN RETURN 'key_daily_cap'; END IF;
  END IF;
  SELECT COALESCE(SUM("balance_minor"), 0) INTO v_wallet FROM "ledger_accounts"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "kind"::text IN ('user_cash', 'user_credits');
  SELECT COALESCE(SUM("remaining_minor"), 0) INTO v_packs FROM "resource_packs"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "closed_at" IS NULL AND "activated_at" IS NOT NULL AND "expires_at" > p_now;
  SELECT COALESCE(SUM("amount_minor"), 0) INTO v_held FROM "api_holds"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "expires_at" > p_now;
  IF v_wallet + v_packs - v_held < v_amount THEN RETURN 'insufficient'; END IF;
  INSERT INTO "api_holds" ("user_id", "request_id", "key_id", "model", "currency", "amount_minor", "created_at", "expires_at")
  VALUES (p_user, p_request, p_key, p_model, p_currency, v_amount, p_now, p_expires);
  RETURN 'held';
END$function$;
