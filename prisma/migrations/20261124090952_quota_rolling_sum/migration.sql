-- AlterTable
ALTER TABLE "quota_counters" ADD COLUMN     "r5_edge" TIMESTAMPTZ(3),
ADD COLUMN     "r5_used" INTEGER NOT NULL DEFAULT 0;


-- QUOTA-2 without reading the whole window: the 5-hour sum is kept in the
-- counter row (r5_used = prompt units used after r5_edge). A decision moves
-- the edge to its own window start and reads only the uses between the old
-- edge and the new one (those that left the window, or came back into it when
-- the clock went back), plus one index probe for the oldest use still in it.
-- A null edge, or one more than 5 hours behind (the subscription was idle, and
-- the prune may since have deleted uses it counted), counts the window again.
-- Also: the oldest use in the window after an allowed one is the earlier of the
-- two (LEAST), for a decision timed before uses already recorded.
CREATE OR REPLACE FUNCTION "quota_consume"(p_items jsonb)
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
  edge timestamptz\073
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

    edge := x.t - interval ''5 hours''\073
    SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM "api_keys" k WHERE k."id" = x.k AND k."revoked_at" IS NULL) THEN ''revoked''
        WHEN NOT EXISTS (SELECT 1 FROM "subscriptions" s WHERE s."id" = x.s AND s."status" = ''active'' AND s."updated_at" = x.u) THEN ''stale''
        WHEN EXISTS (SELECT 1 FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."request_id" = x.r) THEN ''duplicate''
      END,
      CASE
        WHEN c."r5_edge" IS NULL OR edge - c."r5_edge" > interval ''5 hours'' THEN
          (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
            WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > edge)
        WHEN edge > c."r5_edge" THEN
          c."r5_used" - (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
            WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > c."r5_edge" AND q."at" <= edge)
        WHEN edge < c."r5_edge" THEN
          c."r5_used" + (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
            WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > edge AND q."at" <= c."r5_edge")
        ELSE c."r5_used"
      END,
      (SELECT MIN(q."at") FROM "quota_uses" q WHERE q."subscription_id" = x.s AND q."pool" = ''prompt'' AND q."at" > edge)
      INTO result, r_used, r_oldest\073

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
        r_oldest := LEAST(r_oldest, x.t)\073
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
      UPDATE "quota_counters" SET "week_index" = x.wi, "week_used" = w_used, "month_key" = x.mk, "month_used" = m_used,
             "r5_used" = r_used, "r5_edge" = edge
       WHERE "subscription_id" = x.s\073
    END IF\073

    i := x.i\073 outcome := result\073 used_5h := r_used\073 oldest_5h := r_oldest\073 week_used := w_used\073 month_used := m_used\073
    RETURN NEXT\073
  END LOOP\073
END ';

-- Gives a consumption back, as before, and takes its units out of the kept
-- 5-hour sum when they were in it.
CREATE OR REPLACE FUNCTION "quota_unconsume"(p_sub uuid, p_request text, p_week_index int, p_month_key int)
RETURNS boolean LANGUAGE plpgsql AS E'
DECLARE
  u record\073
BEGIN
  PERFORM 1 FROM "quota_counters" WHERE "subscription_id" = p_sub FOR UPDATE\073
  DELETE FROM "quota_uses" WHERE "subscription_id" = p_sub AND "request_id" = p_request RETURNING "pool", "units", "at" INTO u\073
  IF NOT FOUND THEN
    RETURN false\073
  END IF\073
  IF u.pool = ''prompt'' THEN
    UPDATE "quota_counters" SET "week_used" = GREATEST(0, "week_used" - u.units)
      WHERE "subscription_id" = p_sub AND "week_index" = p_week_index\073
    UPDATE "quota_counters" SET "r5_used" = GREATEST(0, "r5_used" - u.units)
      WHERE "subscription_id" = p_sub AND "r5_edge" IS NOT NULL AND u.at > "r5_edge"\073
  ELSE
    UPDATE "quota_counters" SET "month_used" = GREATEST(0, "month_used" - u.units)
      WHERE "subscription_id" = p_sub AND "month_key" = p_month_key\073
  END IF\073
  RETURN true\073
END ';
