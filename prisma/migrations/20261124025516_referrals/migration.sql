-- CreateEnum
CREATE TYPE "ReferralVia" AS ENUM ('link', 'code');

-- CreateEnum
CREATE TYPE "ReferralState" AS ENUM ('signed_up', 'pending', 'issued', 'void');

-- CreateEnum
CREATE TYPE "ReferralFlagState" AS ENUM ('open', 'released', 'rejected');

-- AlterEnum
ALTER TYPE "InvoiceLineKind" ADD VALUE 'referral_discount';

-- CreateTable
CREATE TABLE "referral_codes" (
    "user_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_codes_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "referral_visits" (
    "id" UUID NOT NULL,
    "inviter_id" UUID NOT NULL,
    "via" "ReferralVia" NOT NULL,
    "ip" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_visits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referrals" (
    "id" UUID NOT NULL,
    "inviter_id" UUID NOT NULL,
    "friend_id" UUID NOT NULL,
    "visit_id" UUID NOT NULL,
    "via" "ReferralVia" NOT NULL,
    "visited_at" TIMESTAMPTZ(3) NOT NULL,
    "network" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "state" "ReferralState" NOT NULL,
    "reason" TEXT,
    "invoice_id" UUID,
    "currency" TEXT,
    "paid_at" TIMESTAMPTZ(3),
    "cash_paid_minor" BIGINT,
    "refunded_minor" BIGINT NOT NULL DEFAULT 0,
    "reward_minor" BIGINT,
    "review_at" TIMESTAMPTZ(3),
    "issue_by" TIMESTAMPTZ(3),
    "issued_at" TIMESTAMPTZ(3),
    "clawed_back_minor" BIGINT NOT NULL DEFAULT 0,
    "shortfall_minor" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referrals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referral_flags" (
    "id" UUID NOT NULL,
    "referral_id" UUID NOT NULL,
    "rule" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "state" "ReferralFlagState" NOT NULL,
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_flags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_sightings" (
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "account_sightings_pkey" PRIMARY KEY ("user_id","kind","value")
);

-- CreateIndex
CREATE UNIQUE INDEX "referral_codes_code_key" ON "referral_codes"("code");

-- CreateIndex
CREATE INDEX "referral_visits_inviter_id_at_idx" ON "referral_visits"("inviter_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_friend_id_key" ON "referrals"("friend_id");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_invoice_id_key" ON "referrals"("invoice_id");

-- CreateIndex
CREATE INDEX "referrals_inviter_id_created_at_idx" ON "referrals"("inviter_id", "created_at");

-- CreateIndex
CREATE INDEX "referrals_state_review_at_idx" ON "referrals"("state", "review_at");

-- CreateIndex
CREATE INDEX "referral_flags_state_created_at_idx" ON "referral_flags"("state", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "referral_flags_referral_id_rule_key" ON "referral_flags"("referral_id", "rule");

-- CreateIndex
CREATE INDEX "account_sightings_kind_value_last_seen_idx" ON "account_sightings"("kind", "value", "last_seen");

-- AddForeignKey
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referral_visits" ADD CONSTRAINT "referral_visits_inviter_id_fkey" FOREIGN KEY ("inviter_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_inviter_id_fkey" FOREIGN KEY ("inviter_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_friend_id_fkey" FOREIGN KEY ("friend_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_visit_id_fkey" FOREIGN KEY ("visit_id") REFERENCES "referral_visits"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referral_flags" ADD CONSTRAINT "referral_flags_referral_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_sightings" ADD CONSTRAINT "account_sightings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: what Prisma cannot express.
-- Nobody invites themselves.
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_not_self" CHECK ("inviter_id" <> "friend_id");
-- Amounts are never negative, and no more is taken back than was given.
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_amounts_nonnegative" CHECK (
  coalesce("cash_paid_minor", 0) >= 0 AND coalesce("reward_minor", 0) >= 0 AND "refunded_minor" >= 0
  AND "shortfall_minor" >= 0 AND "clawed_back_minor" >= 0
  AND "clawed_back_minor" + "shortfall_minor" <= coalesce("reward_minor", 0));
-- A paid or issued invitation rests on an order, and a void one names its reason.
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_state_shape" CHECK (
  ("state" NOT IN ('pending', 'issued') OR ("invoice_id" IS NOT NULL AND "reward_minor" IS NOT NULL AND "paid_at" IS NOT NULL))
  AND ("state" <> 'issued' OR "issued_at" IS NOT NULL)
  AND ("state" <> 'void' OR "reason" IS NOT NULL));
ALTER TABLE "account_sightings" ADD CONSTRAINT "account_sightings_kind" CHECK ("kind" IN ('network', 'device'));
