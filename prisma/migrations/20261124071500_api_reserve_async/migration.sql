-- Hand-written. A hold (BILL-3) is committed without waiting for the disk
-- flush. Losing one in a database crash cannot lose money: the settlement,
-- which moves the money, commits synchronously and never takes a balance
-- below zero (what a lost hold let another call spend is recorded as
-- uncollected). A flush costs milliseconds on this kind of disk, per call.
CREATE OR REPLACE FUNCTION "api_reserve"(p_user uuid, p_currency text, p_request text, p_key uuid, p_model text, p_amount bigint, p_now timestamptz, p_expires timestamptz)
RETURNS text
LANGUAGE plpgsql AS E'
DECLARE
  v_status text\073
  v_wallet bigint\073
  v_packs bigint\073
  v_held bigint\073
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  PERFORM pg_advisory_xact_lock(hashtextextended(''api_balance:'' || p_user::text || '':'' || p_currency, 0))\073
  SELECT "status"::text INTO v_status FROM "users" WHERE "id" = p_user\073
  IF v_status IS NULL OR v_status = ''banned'' THEN RETURN ''banned''\073 END IF\073
  IF EXISTS (SELECT 1 FROM "api_holds" WHERE "user_id" = p_user AND "request_id" = p_request)
     OR EXISTS (SELECT 1 FROM "api_calls" WHERE "user_id" = p_user AND "request_id" = p_request) THEN
    RETURN ''duplicate''\073
  END IF\073
  SELECT COALESCE(SUM("balance_minor"), 0) INTO v_wallet FROM "ledger_accounts"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "kind"::text IN (''user_cash'', ''user_credits'')\073
  SELECT COALESCE(SUM("remaining_minor"), 0) INTO v_packs FROM "resource_packs"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "closed_at" IS NULL AND "activated_at" IS NOT NULL AND "expires_at" > p_now\073
  SELECT COALESCE(SUM("amount_minor"), 0) INTO v_held FROM "api_holds"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "expires_at" > p_now\073
  IF v_wallet + v_packs - v_held < p_amount THEN RETURN ''insufficient''\073 END IF\073
  INSERT INTO "api_holds" ("user_id", "request_id", "key_id", "model", "currency", "amount_minor", "created_at", "expires_at")
  VALUES (p_user, p_request, p_key, p_model, p_currency, p_amount, p_now, p_expires)\073
  RETURN ''held''\073
END';
