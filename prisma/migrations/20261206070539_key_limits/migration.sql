-- CreateEnum
CREATE TYPE "ApiKeyPurpose" AS ENUM ('coding', 'payg', 'both');

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "limit_5h" INTEGER,
ADD COLUMN     "limit_week" INTEGER,
ADD COLUMN     "payg_daily_cap_minor" BIGINT,
ADD COLUMN     "purpose" "ApiKeyPurpose" NOT NULL DEFAULT 'coding';

-- CreateIndex
CREATE INDEX "quota_uses_key_id_at_idx" ON "quota_uses"("key_id", "at");


-- KEY-1: limits are positive counts, a cap is never negative.
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_limits_positive" CHECK (("limit_5h" IS NULL OR "limit_5h" > 0) AND ("limit_week" IS NULL OR "limit_week" > 0) AND ("payg_daily_cap_minor" IS NULL OR "payg_daily_cap_minor" >= 0));

-- QUOTA-9, KEY-1: the caches hold a key's purpose and expiry, so a change
-- to either drops the key from every process's cache, as a revocation does.
-- The limits are not cached: quota_consume and api_reserve read them under
-- their locks.
CREATE TRIGGER "api_keys_notify_terms" AFTER UPDATE OF "purpose", "expires_at" ON "api_keys" FOR EACH ROW
  WHEN (OLD."purpose" IS DISTINCT FROM NEW."purpose" OR OLD."expires_at" IS DISTINCT FROM NEW."expires_at") EXECUTE FUNCTION "quota_notify_key"();

-- As in 20261124130000_quota_consume_set, and under the same lock:
-- KEY-1: a key with its own limits is checked against its own use in the
-- plan's 5-hour window and week (p_items gains "ws", the week's start), read
-- from quota_uses by (key_id, at) only when the key has a limit. Its denials
-- are denied_key_5h and denied_key_weekly, answered with the key's counts so
-- that the caller names the key's reset time. An expired key answers
-- "expired", a key not marked for coding "not_coding" (QUOTA-9). The answer
-- gains columns, so the function is dropped and made again.
DROP FUNCTION "quota_consume"(jsonb);
CREATE FUNCTION "quota_consume"(p_items jsonb)
RETURNS TABLE (i int, outcome text, used_5h int, oldest_5h timestamptz, week_used int, month_used int,
               key_limit_5h int, key_used_5h int, key_oldest_5h timestamptz, key_limit_week int, key_week_used int)
LANGUAGE plpgsql AS E'
DECLARE
  rounds int\073
  subs uuid[]\073
  locked int\073
BEGIN
  SELECT array_agg(DISTINCT j.s ORDER BY j.s), max(j.n) INTO subs, rounds
    FROM (SELECT x.s, count(*) OVER (PARTITION BY x.s) AS n FROM jsonb_to_recordset(p_items) AS x(s uuid)) j\073
  IF subs IS NULL THEN
    RETURN\073
  END IF\073
  PERFORM 1 FROM "quota_counters" q WHERE q."subscription_id" = ANY(subs) ORDER BY q."subscription_id" FOR UPDATE\073
  GET DIAGNOSTICS locked = ROW_COUNT\073
  IF locked < cardinality(subs) THEN
    INSERT INTO "quota_counters" ("subscription_id") SELECT unnest(subs) ORDER BY 1 ON CONFLICT DO NOTHING\073
    PERFORM 1 FROM "quota_counters" q WHERE q."subscription_id" = ANY(subs) ORDER BY q."subscription_id" FOR UPDATE\073
  END IF\073
  FOR round IN 1..rounds LOOP
    RETURN QUERY
    WITH x AS (
      SELECT * FROM (
        SELECT j.*, row_number() OVER (PARTITION BY j.s ORDER BY j.i) AS rn, j.t - interval ''5 hours'' AS edge
          FROM jsonb_to_recordset(p_items) AS j(
            i int, s uuid, u timestamptz, k uuid, r text, kind "QuotaKind", pool text, m text, c int,
            t timestamptz, l5 int, lw int, wi int, ws timestamptz, lm int, mk int)) a
       WHERE a.rn = round
    ), d AS MATERIALIZED (
      SELECT x.*,
        CASE
          WHEN ak."id" IS NULL OR ak."revoked_at" IS NOT NULL THEN ''revoked''
          WHEN ak."expires_at" IS NOT NULL AND ak."expires_at" <= x.t THEN ''expired''
          WHEN ak."purpose" = ''payg'' THEN ''not_coding''
          WHEN NOT EXISTS (SELECT 1 FROM "subscriptions" s WHERE s."id" = x.s AND s."status" = ''active'' AND s."updated_at" = x.u) THEN ''stale''
          WHEN EXISTS (SELECT 1 FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."request_id" = x.r) THEN ''duplicate''
        END AS pre,
        CASE
          WHEN c."r5_edge" IS NULL OR x.edge - c."r5_edge" > interval ''5 hours'' THEN
            (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
              WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > x.edge)
          WHEN x.edge > c."r5_edge" THEN
            c."r5_used" - (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
              WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > c."r5_edge" AND q."at" <= x.edge)
          WHEN x.edge < c."r5_edge" THEN
            c."r5_used" + (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
              WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > x.edge AND q."at" <= c."r5_edge")
          ELSE c."r5_used"
        END AS r_used,
        (SELECT MIN(q."at") FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > x.edge) AS r_oldest,
        CASE WHEN c."week_index" = x.wi THEN c."week_used" ELSE 0 END AS w_used,
        CASE WHEN c."month_key" = x.mk THEN c."month_used" ELSE 0 END AS m_used,
        ak."limit_5h" AS kl5, ak."limit_week" AS klw,
        -- Only a limited key reads its own uses, so keys without limits cost nothing more.
        CASE WHEN ak."limit_5h" IS NOT NULL AND x.pool = ''prompt'' THEN
          (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
            WHERE q."key_id" = x.k AND q."at" > x.edge AND q."pool" = ''prompt'' AND q."subscription_id" = x.s) ELSE 0 END AS k5_used,
        CASE WHEN ak."limit_5h" IS NOT NULL AND x.pool = ''prompt'' THEN
          (SELECT MIN(q."at") FROM "quota_uses" q
            WHERE q."key_id" = x.k AND q."at" > x.edge AND q."pool" = ''prompt'' AND q."subscription_id" = x.s) END AS k5_oldest,
        CASE WHEN ak."limit_week" IS NOT NULL AND x.pool = ''prompt'' THEN
          (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
            WHERE q."key_id" = x.k AND q."at" >= x.ws AND q."pool" = ''prompt'' AND q."subscription_id" = x.s) ELSE 0 END AS kw_used
      FROM x JOIN "quota_counters" c ON c."subscription_id" = x.s
        LEFT JOIN "api_keys" ak ON ak."id" = x.k
    ), o AS (
      SELECT d.*, COALESCE(d.pre, CASE
          WHEN d.pool = ''prompt'' AND d.r_used + d.c > d.l5 THEN ''denied_5h''
          WHEN d.pool = ''prompt'' AND d.kl5 IS NOT NULL AND d.k5_used + d.c > d.kl5 THEN ''denied_key_5h''
          WHEN d.pool = ''prompt'' AND d.lw IS NOT NULL AND d.w_used + d.c > d.lw THEN ''denied_weekly''
          WHEN d.pool = ''prompt'' AND d.klw IS NOT NULL AND d.kw_used + d.c > d.klw THEN ''denied_key_weekly''
          WHEN d.pool <> ''prompt'' AND d.m_used + d.c > d.lm THEN ''denied_monthly''
          ELSE ''allowed''
        END) AS outcome
      FROM d
    ), a AS (
      SELECT o.i, o.outcome,
        CASE WHEN o.outcome = ''allowed'' AND o.pool = ''prompt'' THEN o.r_used + o.c ELSE o.r_used END AS r_used,
        CASE WHEN o.outcome = ''allowed'' AND o.pool = ''prompt'' THEN LEAST(o.r_oldest, o.t) ELSE o.r_oldest END AS r_oldest,
        CASE WHEN o.outcome = ''allowed'' AND o.pool = ''prompt'' THEN o.w_used + o.c ELSE o.w_used END AS w_used,
        CASE WHEN o.outcome = ''allowed'' AND o.pool <> ''prompt'' THEN o.m_used + o.c ELSE o.m_used END AS m_used,
        o.kl5, o.klw,
        CASE WHEN o.outcome = ''allowed'' AND o.kl5 IS NOT NULL AND o.pool = ''prompt'' THEN o.k5_used + o.c ELSE o.k5_used END AS k5_used,
        CASE WHEN o.outcome = ''allowed'' AND o.kl5 IS NOT NULL AND o.pool = ''prompt'' THEN LEAST(o.k5_oldest, o.t) ELSE o.k5_oldest END AS k5_oldest,
        CASE WHEN o.outcome = ''allowed'' AND o.klw IS NOT NULL AND o.pool = ''prompt'' THEN o.kw_used + o.c ELSE o.kw_used END AS kw_used,
        o.s, o.r, o.k, o.kind, o.pool, o.m, o.c, o.t, o.edge, o.wi, o.mk
      FROM o
    ), used AS (
      INSERT INTO "quota_uses" ("subscription_id", "request_id", "key_id", "kind", "pool", "model", "units", "at")
      SELECT a.s, a.r, a.k, a.kind, a.pool, a.m, a.c, a.t FROM a WHERE a.outcome = ''allowed''
    ), seen AS (
      UPDATE "api_keys" k SET "last_used_at" = a.t FROM a
       WHERE a.outcome = ''allowed'' AND k."id" = a.k AND (k."last_used_at" IS NULL OR k."last_used_at" < a.t - interval ''1 minute'')
    ), counted AS (
      UPDATE "quota_counters" q SET "week_index" = a.wi, "week_used" = a.w_used, "month_key" = a.mk, "month_used" = a.m_used,
             "r5_used" = a.r_used, "r5_edge" = a.edge
        FROM a WHERE a.outcome = ''allowed'' AND q."subscription_id" = a.s
    )
    SELECT a.i, a.outcome, a.r_used, a.r_oldest, a.w_used, a.m_used, a.kl5, a.k5_used, a.k5_oldest, a.klw, a.kw_used FROM a\073
  END LOOP\073
END ';

-- As in 20261206042239_bill_accrual, and KEY-1: a key with a daily
-- pay-as-you-go cap is refused (key_daily_cap) when what it was billed today
-- (the business day of the account's region), what it holds in live calls
-- and this hold would pass the cap. Checked under the same per-user lock, so
-- parallel calls of one key cannot pass it together.
CREATE OR REPLACE FUNCTION "api_reserve"(p_user uuid, p_currency text, p_request text, p_key uuid, p_model text, p_fee_micro bigint, p_now timestamptz, p_expires timestamptz)
RETURNS text
LANGUAGE plpgsql AS E'
DECLARE
  v_status text\073
  v_wallet bigint\073
  v_packs bigint\073
  v_held bigint\073
  v_carry bigint\073
  v_amount bigint\073
  v_cap bigint\073
  v_zone text\073
  v_day timestamptz\073
  v_key_spent bigint\073
  v_key_held bigint\073
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  PERFORM pg_advisory_xact_lock(hashtextextended(''api_balance:'' || p_user::text || '':'' || p_currency, 0))\073
  SELECT u."status"::text, r."time_zone" INTO v_status, v_zone FROM "users" u LEFT JOIN "billing_regions" r ON r."region" = u."region" WHERE u."id" = p_user\073
  IF v_status IS NULL OR v_status = ''banned'' THEN RETURN ''banned''\073 END IF\073
  IF EXISTS (SELECT 1 FROM "api_holds" WHERE "user_id" = p_user AND "request_id" = p_request)
     OR EXISTS (SELECT 1 FROM "api_calls" WHERE "user_id" = p_user AND "request_id" = p_request) THEN
    RETURN ''duplicate''\073
  END IF\073
  SELECT COALESCE(MAX("carry_micro"), 0) INTO v_carry FROM "api_accruals" WHERE "user_id" = p_user AND "currency" = p_currency\073
  v_amount := GREATEST((v_carry + GREATEST(p_fee_micro, 0) + 999999) / 1000000, 1)\073
  SELECT "payg_daily_cap_minor" INTO v_cap FROM "api_keys" WHERE "id" = p_key\073
  IF v_cap IS NOT NULL THEN
    v_day := date_trunc(''day'', p_now AT TIME ZONE COALESCE(v_zone, ''UTC'')) AT TIME ZONE COALESCE(v_zone, ''UTC'')\073
    SELECT COALESCE((SUM("fee_micro") + 999999) / 1000000, 0) INTO v_key_spent FROM "api_calls"
     WHERE "user_id" = p_user AND "at" >= v_day AND "key_id" = p_key AND "currency" = p_currency\073
    SELECT COALESCE(SUM("amount_minor"), 0) INTO v_key_held FROM "api_holds"
     WHERE "user_id" = p_user AND "key_id" = p_key AND "currency" = p_currency AND "expires_at" > p_now\073
    IF v_key_spent + v_key_held + v_amount > v_cap THEN RETURN ''key_daily_cap''\073 END IF\073
  END IF\073
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
