-- BILL-1: fees accrue exactly per user in micro-units of the minor unit and
-- the wallet is debited whole minor units as the accrual crosses them, the
-- rest carried (lib/api-billing/accrual.ts). A hold is at least one minor
-- unit, so a call with no money behind it never passes.

-- AlterTable
ALTER TABLE "api_calls" ADD COLUMN     "fee_micro" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "usage_days" ADD COLUMN     "amount_micro" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "api_accruals" (
    "user_id" UUID NOT NULL,
    "currency" TEXT NOT NULL,
    "carry_micro" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_accruals_pkey" PRIMARY KEY ("user_id","currency")
);

-- Hand-written from here. The carry is always below one minor unit.
ALTER TABLE "api_accruals" ADD CONSTRAINT "api_accruals_carry_below_one_minor" CHECK ("carry_micro" >= 0 AND "carry_micro" < 1000000);

-- Calls settled before this migration were rounded to the minor unit on their
-- own: their exact fee is not known any more, what they were billed is.
UPDATE "api_calls" SET "fee_micro" = "fee_minor" * 1000000;
UPDATE "usage_days" SET "amount_micro" = "amount_minor" * 1000000;

-- BILL-1, BILL-3: as before (20261124071500_api_reserve_async), but the
-- caller gives the most the call can cost in micro-units of the minor unit
-- (p_fee_micro) and the hold is the whole units that the user's carry and
-- that fee can add up to, at least one (lib/api-billing/accrual.ts,
-- holdMinorFor): "available < amount" then refuses an empty balance even for
-- a call worth less than a minor unit, and what is owed below a minor unit
-- stays backed by the balance. api_reserve_many passes its "a" on unchanged,
-- now in micro-units. The parameter changes name, so the function is
-- dropped and made again.
DROP FUNCTION "api_reserve"(uuid, text, text, uuid, text, bigint, timestamptz, timestamptz);
CREATE FUNCTION "api_reserve"(p_user uuid, p_currency text, p_request text, p_key uuid, p_model text, p_fee_micro bigint, p_now timestamptz, p_expires timestamptz)
RETURNS text
LANGUAGE plpgsql AS E'
DECLARE
  v_status text\073
  v_wallet bigint\073
  v_packs bigint\073
  v_held bigint\073
  v_carry bigint\073
  v_amount bigint\073
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  PERFORM pg_advisory_xact_lock(hashtextextended(''api_balance:'' || p_user::text || '':'' || p_currency, 0))\073
  SELECT "status"::text INTO v_status FROM "users" WHERE "id" = p_user\073
  IF v_status IS NULL OR v_status = ''banned'' THEN RETURN ''banned''\073 END IF\073
  IF EXISTS (SELECT 1 FROM "api_holds" WHERE "user_id" = p_user AND "request_id" = p_request)
     OR EXISTS (SELECT 1 FROM "api_calls" WHERE "user_id" = p_user AND "request_id" = p_request) THEN
    RETURN ''duplicate''\073
  END IF\073
  SELECT COALESCE(MAX("carry_micro"), 0) INTO v_carry FROM "api_accruals" WHERE "user_id" = p_user AND "currency" = p_currency\073
  v_amount := GREATEST((v_carry + GREATEST(p_fee_micro, 0) + 999999) / 1000000, 1)\073
  SELECT COALESCE(SUM("balance_minor"), 0) INTO v_wallet FROM "ledger_accounts"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "kind"::text IN (''user_cash'', ''user_credits'')\073
  SELECT COALESCE(SUM("remaining_minor"), 0) INTO v_packs FROM "resource_packs"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "closed_at" IS NULL AND "activated_at" IS NOT NULL AND "expires_at" > p_now\073
  SELECT COALESCE(SUM("amount_minor"), 0) INTO v_held FROM "api_holds"
   WHERE "user_id" = p_user AND "currency" = p_currency AND "expires_at" > p_now\073
  IF v_wallet + v_packs - v_held < v_amount THEN RETURN ''insufficient''\073 END IF\073
  INSERT INTO "api_holds" ("user_id", "request_id", "key_id", "model", "currency", "amount_minor", "created_at", "expires_at")
  VALUES (p_user, p_request, p_key, p_model, p_currency, v_amount, p_now, p_expires)\073
  RETURN ''held''\073
END';

-- As in 20261124100000_settle_round_trips, and it reads the users' carries
-- (BILL-1) after their locks.
CREATE OR REPLACE FUNCTION "api_settle_state"(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS E'
DECLARE
  k text\073
  p_calls jsonb := p->''calls''\073
  p_users uuid[] := ARRAY(SELECT jsonb_array_elements_text(p->''users''))::uuid[]\073
  p_earliest timestamptz := (p->>''earliest'')::timestamptz\073
BEGIN
  FOR k IN SELECT jsonb_array_elements_text(p->''locks'') ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(k, 0))\073
  END LOOP\073
  RETURN jsonb_build_object(
    ''settled'', (SELECT COALESCE(jsonb_agg(c."user_id"::text || '':'' || c."request_id"), ''[]'') FROM "api_calls" c
                  WHERE (c."user_id", c."request_id") IN (SELECT x.u, x.r FROM jsonb_to_recordset(p_calls) AS x(u uuid, r text))),
    ''balances'', (SELECT COALESCE(jsonb_agg(jsonb_build_object(''user_id'', a."user_id", ''currency'', a."currency", ''kind'', a."kind", ''balance_minor'', a."balance_minor"::text)), ''[]'')
                   FROM "ledger_accounts" a WHERE a."user_id" = ANY(p_users) AND a."kind"::text IN (''user_cash'', ''user_credits'')),
    ''packs'', (SELECT COALESCE(jsonb_agg(jsonb_build_object(''id'', r."id", ''user_id'', r."user_id", ''currency'', r."currency", ''remaining_minor'', r."remaining_minor"::text,
                                                            ''expires_at'', r."expires_at", ''created_at'', r."created_at")), ''[]'')
                FROM "resource_packs" r WHERE r."user_id" = ANY(p_users) AND r."closed_at" IS NULL AND r."activated_at" IS NOT NULL
                 AND r."expires_at" > p_earliest AND r."remaining_minor" > 0),
    ''holds'', (SELECT COALESCE(jsonb_agg(jsonb_build_object(''user_id'', h."user_id", ''request_id'', h."request_id", ''currency'', h."currency",
                                                            ''amount_minor'', h."amount_minor"::text, ''expires_at'', h."expires_at")), ''[]'')
                FROM "api_holds" h WHERE h."user_id" = ANY(p_users)),
    ''carries'', (SELECT COALESCE(jsonb_agg(jsonb_build_object(''user_id'', a."user_id", ''currency'', a."currency", ''carry_micro'', a."carry_micro"::text)), ''[]'')
                  FROM "api_accruals" a WHERE a."user_id" = ANY(p_users)))\073
END ';

-- As in 20261124100000_settle_round_trips, and each call keeps its exact
-- fee (fee_micro) and the users' new carries (p.carries) are written in the
-- same transaction as the debits (BILL-1).
CREATE OR REPLACE FUNCTION "api_settle_write"(p jsonb) RETURNS void
LANGUAGE plpgsql AS E'
DECLARE
  moved int := 0\073
  p_takes jsonb := p->''takes''\073
  p_calls jsonb := p->''calls''\073
  p_done jsonb := p->''done''\073
BEGIN
  IF jsonb_array_length(p_takes) > 0 THEN
    UPDATE "resource_packs" r SET "remaining_minor" = r."remaining_minor" - x.amount
      FROM jsonb_to_recordset(p_takes) AS x(id uuid, amount bigint)
     WHERE r."id" = x.id AND r."closed_at" IS NULL\073
    GET DIAGNOSTICS moved = ROW_COUNT\073
    IF moved <> jsonb_array_length(p_takes) THEN
      RAISE EXCEPTION ''a resource pack closed while calls were settled''\073
    END IF\073
  END IF\073
  PERFORM "ledger_post_many"(p->''postings'')\073
  INSERT INTO "api_calls" ("user_id", "request_id", "key_id", "model", "currency", "input_tokens", "output_tokens", "cached_tokens",
      "fee_minor", "fee_micro", "pack_minor", "cash_minor", "bonus_minor", "uncollected_minor", "parts", "at")
  SELECT x.user_id, x.request_id, x.key_id, x.model, x.currency, x.input, x.output, x.cached, x.fee, x.fee_micro, x.pack, x.cash, x.bonus, x.uncollected, x.parts, x.at
    FROM jsonb_to_recordset(p_calls) AS x(user_id uuid, request_id text, key_id uuid, model text, currency text, input int, output int,
      cached int, fee bigint, fee_micro bigint, pack bigint, cash bigint, bonus bigint, uncollected bigint, parts jsonb, at timestamptz)\073
  INSERT INTO "api_accruals" ("user_id", "currency", "carry_micro", "updated_at")
  SELECT x.u, x.c, x.m, x.t FROM jsonb_to_recordset(COALESCE(p->''carries'', ''[]'')) AS x(u uuid, c text, m bigint, t timestamptz)
  ON CONFLICT ("user_id", "currency") DO UPDATE SET "carry_micro" = EXCLUDED."carry_micro", "updated_at" = EXCLUDED."updated_at"\073
  DELETE FROM "api_holds" h USING jsonb_to_recordset(p_done) AS x(u uuid, r text)
   WHERE h."user_id" = x.u AND h."request_id" = x.r\073
END ';
