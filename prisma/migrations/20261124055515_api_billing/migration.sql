-- AlterEnum
ALTER TYPE "InvoiceKind" ADD VALUE 'pack';

-- AlterEnum
ALTER TYPE "InvoiceLineKind" ADD VALUE 'pack';

-- AlterEnum
ALTER TYPE "LedgerAccountKind" ADD VALUE 'user_packs';

-- CreateTable
CREATE TABLE "resource_packs" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "product" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "price_minor" BIGINT NOT NULL,
    "value_minor" BIGINT NOT NULL,
    "remaining_minor" BIGINT NOT NULL,
    "valid_days" INTEGER NOT NULL,
    "activated_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "resource_packs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_holds" (
    "user_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "key_id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_holds_pkey" PRIMARY KEY ("user_id","request_id")
);

-- CreateTable
CREATE TABLE "api_calls" (
    "user_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "key_id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "input_tokens" INTEGER NOT NULL,
    "output_tokens" INTEGER NOT NULL,
    "cached_tokens" INTEGER NOT NULL,
    "fee_minor" BIGINT NOT NULL,
    "pack_minor" BIGINT NOT NULL,
    "cash_minor" BIGINT NOT NULL,
    "bonus_minor" BIGINT NOT NULL,
    "uncollected_minor" BIGINT NOT NULL DEFAULT 0,
    "parts" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_calls_pkey" PRIMARY KEY ("user_id","request_id")
);

-- CreateTable
CREATE TABLE "usage_days" (
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "model" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "ref" TEXT NOT NULL DEFAULT '',
    "currency" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "cached_tokens" BIGINT NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "usage_days_pkey" PRIMARY KEY ("user_id","day","model","source","ref")
);

-- CreateTable
CREATE TABLE "usage_rollups" (
    "region" "Region" NOT NULL,
    "day" DATE NOT NULL,
    "records" INTEGER NOT NULL,
    "rolled_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "usage_rollups_pkey" PRIMARY KEY ("region","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "resource_packs_invoice_id_key" ON "resource_packs"("invoice_id");

-- CreateIndex
CREATE INDEX "resource_packs_user_id_currency_idx" ON "resource_packs"("user_id", "currency");

-- CreateIndex
CREATE INDEX "resource_packs_expires_at_idx" ON "resource_packs"("expires_at");

-- CreateIndex
CREATE INDEX "api_holds_expires_at_idx" ON "api_holds"("expires_at");

-- CreateIndex
CREATE INDEX "api_calls_at_idx" ON "api_calls"("at");

-- CreateIndex
CREATE INDEX "api_calls_user_id_at_idx" ON "api_calls"("user_id", "at");

-- CreateIndex
CREATE INDEX "usage_days_day_idx" ON "usage_days"("day");

-- AddForeignKey
ALTER TABLE "resource_packs" ADD CONSTRAINT "resource_packs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_packs" ADD CONSTRAINT "resource_packs_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written below. The enum values added above cannot be used as enum
-- literals in this transaction, so the owner check compares text.
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_owner_matches_kind";
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_owner_matches_kind" CHECK (("kind"::text IN ('user_credits', 'user_cash', 'user_packs')) = ("user_id" IS NOT NULL));

ALTER TABLE "resource_packs" ADD CONSTRAINT "resource_packs_amounts" CHECK ("price_minor" >= 0 AND "value_minor" >= "price_minor" AND "remaining_minor" >= 0 AND "remaining_minor" <= "value_minor" AND "valid_days" > 0);
ALTER TABLE "resource_packs" ADD CONSTRAINT "resource_packs_active_has_expiry" CHECK (("activated_at" IS NULL) = ("expires_at" IS NULL));
ALTER TABLE "api_holds" ADD CONSTRAINT "api_holds_amount_non_negative" CHECK ("amount_minor" >= 0);
ALTER TABLE "api_calls" ADD CONSTRAINT "api_calls_parts_sum" CHECK (
  "input_tokens" >= 0 AND "output_tokens" >= 0 AND "cached_tokens" >= 0 AND "cached_tokens" <= "input_tokens"
  AND "pack_minor" >= 0 AND "cash_minor" >= 0 AND "bonus_minor" >= 0 AND "uncollected_minor" >= 0
  AND "pack_minor" + "cash_minor" + "bonus_minor" + "uncollected_minor" = "fee_minor");
ALTER TABLE "usage_days" ADD CONSTRAINT "usage_days_source" CHECK ("source" IN ('pack', 'cash', 'bonus', 'subscription'));

-- BILL-3: hold an estimate of one call's fee on the user's pay-as-you-go
-- balance, or say why not. Under a per-user advisory lock (settlement takes
-- the same one), so two calls can never both count the same money: the
-- balance is the user's cash and bonus plus their live packs, less the live
-- holds. A request id already held or settled answers as before.
-- Outcomes: held, duplicate, banned, insufficient.
CREATE FUNCTION "api_reserve"(p_user uuid, p_currency text, p_request text, p_key uuid, p_model text, p_amount bigint, p_now timestamptz, p_expires timestamptz)
RETURNS text
LANGUAGE plpgsql AS E'
DECLARE
  v_status text\073
  v_wallet bigint\073
  v_packs bigint\073
  v_held bigint\073
BEGIN
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
