-- CreateEnum
CREATE TYPE "ViolationState" AS ENUM ('open', 'review_requested', 'upheld', 'reversed');

-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "throttled_until" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "usage_reports" ADD COLUMN     "agent_shaped" BOOLEAN,
ADD COLUMN     "client" TEXT,
ADD COLUMN     "network" TEXT;

-- CreateTable
CREATE TABLE "policy_violations" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "rule" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "state" "ViolationState" NOT NULL,
    "review_note" TEXT,
    "review_asked_at" TIMESTAMPTZ(3),
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_violations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_violations_user_id_created_at_idx" ON "policy_violations"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "policy_violations_state_created_at_idx" ON "policy_violations"("state", "created_at");

-- CreateIndex
CREATE INDEX "usage_reports_at_idx" ON "usage_reports"("at");

-- AddForeignKey
ALTER TABLE "policy_violations" ADD CONSTRAINT "policy_violations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written below. An admin decision names who and when, and a review request has its time.
ALTER TABLE "policy_violations" ADD CONSTRAINT "policy_violations_decided" CHECK (("state" IN ('open', 'review_requested')) OR ("decided_by" IS NOT NULL AND "decided_at" IS NOT NULL AND "decision_reason" IS NOT NULL));
ALTER TABLE "policy_violations" ADD CONSTRAINT "policy_violations_review_asked" CHECK ("state" <> 'review_requested' OR "review_asked_at" IS NOT NULL);

-- POLICY-2: a ban (or its reversal) reaches the key cache of every process at
-- once, as a subscription change does. The decision path refuses a banned
-- account's keys with 1309.
CREATE FUNCTION "quota_notify_user"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''quota_cache'', ''user:'' || NEW."id")\073
  RETURN NEW\073
END ';
CREATE TRIGGER "users_notify_quota" AFTER UPDATE OF "status" ON "users" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION "quota_notify_user"();
