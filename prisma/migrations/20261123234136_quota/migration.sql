-- CreateEnum
CREATE TYPE "QuotaKind" AS ENUM ('prompt', 'vision', 'web_search', 'web_reader');

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quota_uses" (
    "subscription_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "key_id" UUID NOT NULL,
    "kind" "QuotaKind" NOT NULL,
    "pool" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "quota_uses_pkey" PRIMARY KEY ("subscription_id","request_id")
);

-- CreateTable
CREATE TABLE "quota_counters" (
    "subscription_id" UUID NOT NULL,
    "week_index" INTEGER NOT NULL DEFAULT 0,
    "week_used" INTEGER NOT NULL DEFAULT 0,
    "month_key" INTEGER NOT NULL DEFAULT 0,
    "month_used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "quota_counters_pkey" PRIMARY KEY ("subscription_id")
);

-- CreateTable
CREATE TABLE "quota_slots" (
    "subscription_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "key_id" UUID NOT NULL,
    "acquired_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "quota_slots_pkey" PRIMARY KEY ("subscription_id","request_id")
);

-- CreateTable
CREATE TABLE "usage_reports" (
    "subscription_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "key_id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "tool" TEXT,
    "input_tokens" INTEGER NOT NULL,
    "output_tokens" INTEGER NOT NULL,
    "cached_tokens" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "usage_reports_pkey" PRIMARY KEY ("subscription_id","request_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_user_id_created_at_idx" ON "api_keys"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "quota_uses_subscription_id_pool_at_idx" ON "quota_uses"("subscription_id", "pool", "at");

-- CreateIndex
CREATE INDEX "quota_uses_at_idx" ON "quota_uses"("at");

-- CreateIndex
CREATE INDEX "usage_reports_subscription_id_at_idx" ON "usage_reports"("subscription_id", "at");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: checks, change notifications and the hot-path functions (see lib/quota).
-- Function bodies are E'' strings with \073 for the semicolon: Prisma's migrate deploy splits a script
-- at every semicolon, dollar quotes included.

ALTER TABLE "quota_uses" ADD CONSTRAINT "quota_uses_units_positive" CHECK ("units" > 0);
ALTER TABLE "quota_uses" ADD CONSTRAINT "quota_uses_pool_known" CHECK ("pool" IN ('prompt', 'mcp'));
ALTER TABLE "quota_counters" ADD CONSTRAINT "quota_counters_non_negative" CHECK ("week_used" >= 0 AND "month_used" >= 0);
ALTER TABLE "usage_reports" ADD CONSTRAINT "usage_reports_tokens_non_negative" CHECK ("input_tokens" >= 0 AND "output_tokens" >= 0 AND "cached_tokens" >= 0);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_name_length" CHECK (char_length("name") BETWEEN 1 AND 60);

-- Every process caches keys and subscriptions for the decision path. These
-- notifications tell them to drop an entry the moment it changes (a revoked
-- key stops at once on every instance). The functions below check the same
-- facts again under the lock, so a late notification costs a retry, not a wrong answer.
CREATE FUNCTION "quota_notify_key"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''quota_cache'', ''key:'' || NEW."hash")\073
  RETURN NEW\073
END ';
-- Only revocation matters to the caches: the last-used time, written by the
-- decisions themselves, must not notify (a NOTIFY makes commits queue).
CREATE TRIGGER "api_keys_notify" AFTER UPDATE OF "revoked_at" ON "api_keys" FOR EACH ROW
  WHEN (OLD."revoked_at" IS DISTINCT FROM NEW."revoked_at") EXECUTE FUNCTION "quota_notify_key"();

CREATE FUNCTION "quota_notify_subscription"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''quota_cache'', ''user:'' || NEW."user_id")\073
  RETURN NEW\073
END ';
CREATE TRIGGER "subscriptions_notify_quota" AFTER INSERT OR UPDATE ON "subscriptions" FOR EACH ROW EXECUTE FUNCTION "quota_notify_subscription"();

-- QUOTA-1..7: check every window and record the use, for a batch of
-- decisions in one transaction and one round trip: what arrives while earlier
-- decisions are in flight is settled together (lib/quota/batcher.ts), so under
-- load a commit is shared instead of paid per prompt. Each item is checked
-- under the lock of its subscription's counter row (no read-then-write gap),
-- and items are taken in subscription order, so two batches lock rows in the
-- same order and cannot deadlock. The caller computes the window arithmetic
-- (lib/quota/windows.ts) and passes what it assumed about the subscription
-- (u, its updated_at). If that no longer holds (renewed, upgraded, ended) or
-- the key was revoked, nothing is recorded and the answer says so. Outcomes:
-- allowed, duplicate (this request id was already counted), denied_5h,
-- denied_weekly, denied_monthly, stale, revoked.
CREATE FUNCTION "quota_consume"(p_items jsonb)
RETURNS TABLE (i int, outcome text, used_5h int, oldest_5h timestamptz, week_used int, month_used int)
LANGUAGE plpgsql AS E'
DECLARE
  x record\073
  c "quota_counters"%ROWTYPE\073
  result text\073
  w_used int\073
  m_used int\073
  r_used int\073
  r_oldest timestamptz\073
BEGIN
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p_items) AS j(
      i int, s uuid, u timestamptz, k uuid, r text, kind "QuotaKind", pool text, m text, c int,
      t timestamptz, l5 int, lw int, wi int, lm int, mk int)
    ORDER BY j.s, j.i
  LOOP
    -- The lock first, alone: the statements after it read with a snapshot
    -- taken after the lock, so they see what the previous holder committed.
    SELECT * INTO c FROM "quota_counters" WHERE "subscription_id" = x.s FOR UPDATE\073
    IF NOT FOUND THEN
      INSERT INTO "quota_counters" ("subscription_id") VALUES (x.s) ON CONFLICT DO NOTHING\073
      SELECT * INTO c FROM "quota_counters" WHERE "subscription_id" = x.s FOR UPDATE\073
    END IF\073

    SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM "api_keys" k WHERE k."id" = x.k AND k."revoked_at" IS NULL) THEN ''revoked''
        WHEN NOT EXISTS (SELECT 1 FROM "subscriptions" s WHERE s."id" = x.s AND s."status" = ''active'' AND s."updated_at" = x.u) THEN ''stale''
        WHEN EXISTS (SELECT 1 FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."request_id" = x.r) THEN ''duplicate''
      END, w.used, w.oldest
      INTO result, r_used, r_oldest
      FROM (SELECT COALESCE(SUM(q."units"), 0)::int AS used, MIN(q."at") AS oldest FROM "quota_uses" q
             WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > x.t - interval ''5 hours'') w\073

    w_used := CASE WHEN c."week_index" = x.wi THEN c."week_used" ELSE 0 END\073
    m_used := CASE WHEN c."month_key" = x.mk THEN c."month_used" ELSE 0 END\073
    IF result IS NULL THEN
      IF x.pool = ''prompt'' THEN
        IF r_used + x.c > x.l5 THEN
          result := ''denied_5h''\073
        ELSIF x.lw IS NOT NULL AND w_used + x.c > x.lw THEN
          result := ''denied_weekly''\073
        END IF\073
      ELSIF m_used + x.c > x.lm THEN
        result := ''denied_monthly''\073
      END IF\073
    END IF\073

    IF result IS NULL THEN
      result := ''allowed''\073
      IF x.pool = ''prompt'' THEN
        r_used := r_used + x.c\073
        r_oldest := COALESCE(r_oldest, x.t)\073
        w_used := w_used + x.c\073
      ELSE
        m_used := m_used + x.c\073
      END IF\073
      -- One statement for the three writes. The last-used time is kept to the
      -- minute: one write a minute per key, not one per prompt.
      WITH used AS (
        INSERT INTO "quota_uses" ("subscription_id", "request_id", "key_id", "kind", "pool", "model", "units", "at")
        VALUES (x.s, x.r, x.k, x.kind, x.pool, x.m, x.c, x.t)
      ), seen AS (
        UPDATE "api_keys" SET "last_used_at" = x.t
         WHERE "id" = x.k AND ("last_used_at" IS NULL OR "last_used_at" < x.t - interval ''1 minute'')
      )
      UPDATE "quota_counters" SET "week_index" = x.wi, "week_used" = w_used, "month_key" = x.mk, "month_used" = m_used
       WHERE "subscription_id" = x.s\073
    END IF\073

    i := x.i\073 outcome := result\073 used_5h := r_used\073 oldest_5h := r_oldest\073 week_used := w_used\073 month_used := m_used\073
    RETURN NEXT\073
  END LOOP\073
END ';

-- Gives a consumption back: the model call it paid for never happened (the
-- upstream failed before answering). The counters are lowered only if the
-- use still falls in the current week or month.
CREATE FUNCTION "quota_unconsume"(p_sub uuid, p_request text, p_week_index int, p_month_key int)
RETURNS boolean LANGUAGE plpgsql AS E'
DECLARE
  u record\073
BEGIN
  PERFORM 1 FROM "quota_counters" WHERE "subscription_id" = p_sub FOR UPDATE\073
  DELETE FROM "quota_uses" WHERE "subscription_id" = p_sub AND "request_id" = p_request RETURNING "pool", "units" INTO u\073
  IF NOT FOUND THEN
    RETURN false\073
  END IF\073
  IF u.pool = ''prompt'' THEN
    UPDATE "quota_counters" SET "week_used" = GREATEST(0, "week_used" - u.units)
      WHERE "subscription_id" = p_sub AND "week_index" = p_week_index\073
  ELSE
    UPDATE "quota_counters" SET "month_used" = GREATEST(0, "month_used" - u.units)
      WHERE "subscription_id" = p_sub AND "month_key" = p_month_key\073
  END IF\073
  RETURN true\073
END ';

-- QUOTA-8: take a concurrency slot for one call, under the same row lock, so
-- two calls cannot both take the last one. Slots whose lease ran out (a caller
-- that crashed) are freed first. Asking again with the same request id renews
-- the lease. Outcomes: acquired, renewed, denied.
CREATE FUNCTION "quota_acquire_slot"(
  p_sub uuid, p_key uuid, p_request text, p_limit int, p_now timestamptz, p_lease_until timestamptz
) RETURNS TABLE (outcome text, held int)
LANGUAGE plpgsql AS E'
DECLARE
  n int\073
BEGIN
  INSERT INTO "quota_counters" ("subscription_id") VALUES (p_sub) ON CONFLICT DO NOTHING\073
  PERFORM 1 FROM "quota_counters" WHERE "subscription_id" = p_sub FOR UPDATE\073
  DELETE FROM "quota_slots" WHERE "subscription_id" = p_sub AND "lease_until" <= p_now\073
  UPDATE "quota_slots" SET "lease_until" = p_lease_until WHERE "subscription_id" = p_sub AND "request_id" = p_request\073
  IF FOUND THEN
    RETURN QUERY SELECT ''renewed''::text, (SELECT count(*)::int FROM "quota_slots" WHERE "subscription_id" = p_sub)\073
    RETURN\073
  END IF\073
  SELECT count(*)::int INTO n FROM "quota_slots" WHERE "subscription_id" = p_sub\073
  IF n >= p_limit THEN
    RETURN QUERY SELECT ''denied''::text, n\073
  ELSE
    INSERT INTO "quota_slots" ("subscription_id", "request_id", "key_id", "acquired_at", "lease_until")
      VALUES (p_sub, p_request, p_key, p_now, p_lease_until)\073
    RETURN QUERY SELECT ''acquired''::text, n + 1\073
  END IF\073
END ';
