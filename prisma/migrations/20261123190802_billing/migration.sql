-- CreateEnum
CREATE TYPE "Tier" AS ENUM ('lite', 'pro', 'max');

-- CreateEnum
CREATE TYPE "BillingCycle" AS ENUM ('monthly', 'quarterly', 'yearly');

-- CreateEnum
CREATE TYPE "SubscriptionStatus" AS ENUM ('active', 'past_due', 'expired');

-- CreateEnum
CREATE TYPE "InvoiceKind" AS ENUM ('subscribe', 'renewal', 'upgrade', 'top_up');

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('open', 'paid', 'void');

-- CreateEnum
CREATE TYPE "InvoiceLineKind" AS ENUM ('plan', 'proration_credit', 'first_order_discount', 'credits_applied', 'cash_applied', 'card_charged', 'excess_to_cash', 'top_up');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('pending', 'requires_action', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "LedgerAccountKind" AS ENUM ('user_credits', 'user_cash', 'revenue', 'payments_clearing', 'promotions', 'refunds');

-- CreateTable
CREATE TABLE "billing_regions" (
    "region" "Region" NOT NULL,
    "currency" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "cancel_cutoff_seconds" INTEGER NOT NULL,
    "card_minimum_minor" BIGINT NOT NULL,
    "first_order_discount_bps" INTEGER NOT NULL,

    CONSTRAINT "billing_regions_pkey" PRIMARY KEY ("region")
);

-- CreateTable
CREATE TABLE "plan_versions" (
    "id" UUID NOT NULL,
    "tier" "Tier" NOT NULL,
    "version" INTEGER NOT NULL,
    "current" BOOLEAN NOT NULL,
    "prompts_5h" INTEGER NOT NULL,
    "weekly_prompts" INTEGER,
    "mcp_monthly" INTEGER NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plan_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_prices" (
    "plan_version_id" UUID NOT NULL,
    "cycle" "BillingCycle" NOT NULL,
    "currency" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "plan_prices_pkey" PRIMARY KEY ("plan_version_id","cycle","currency")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "region" "Region" NOT NULL,
    "currency" TEXT NOT NULL,
    "tier" "Tier" NOT NULL,
    "cycle" "BillingCycle" NOT NULL,
    "plan_version_id" UUID NOT NULL,
    "status" "SubscriptionStatus" NOT NULL,
    "auto_renew" BOOLEAN NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL,
    "cycle_anchor" TIMESTAMPTZ(3) NOT NULL,
    "period_index" INTEGER NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "period_paid_minor" BIGINT NOT NULL,
    "scheduled_tier" "Tier",
    "scheduled_cycle" "BillingCycle",
    "canceled_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_days" (
    "tier" "Tier" NOT NULL,
    "day_start" TIMESTAMPTZ(3) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "sold" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "stock_days_pkey" PRIMARY KEY ("tier","day_start")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" UUID NOT NULL,
    "number" BIGSERIAL NOT NULL,
    "user_id" UUID NOT NULL,
    "subscription_id" UUID,
    "kind" "InvoiceKind" NOT NULL,
    "status" "InvoiceStatus" NOT NULL,
    "currency" TEXT NOT NULL,
    "total_minor" BIGINT NOT NULL,
    "card_minor" BIGINT NOT NULL,
    "tier" "Tier",
    "cycle" "BillingCycle",
    "plan_version_id" UUID,
    "period_start" TIMESTAMPTZ(3),
    "period_end" TIMESTAMPTZ(3),
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_lines" (
    "id" BIGSERIAL NOT NULL,
    "invoice_id" UUID NOT NULL,
    "kind" "InvoiceLineKind" NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_payment_id" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "PaymentStatus" NOT NULL,
    "failure_code" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "id" UUID NOT NULL,
    "kind" "LedgerAccountKind" NOT NULL,
    "user_id" UUID,
    "currency" TEXT NOT NULL,
    "balance_minor" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transactions" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "user_id" UUID,
    "invoice_id" UUID,
    "memo" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "transaction_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "plan_versions_tier_version_key" ON "plan_versions"("tier", "version");

-- CreateIndex
CREATE INDEX "subscriptions_user_id_idx" ON "subscriptions"("user_id");

-- CreateIndex
CREATE INDEX "subscriptions_status_period_end_idx" ON "subscriptions"("status", "period_end");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_idempotency_key_key" ON "invoices"("idempotency_key");

-- CreateIndex
CREATE INDEX "invoices_user_id_created_at_idx" ON "invoices"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "invoice_lines_invoice_id_idx" ON "invoice_lines"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_provider_payment_id_key" ON "payments"("provider_payment_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_idempotency_key_key" ON "payments"("idempotency_key");

-- CreateIndex
CREATE INDEX "payments_invoice_id_idx" ON "payments"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_kind_user_id_currency_key" ON "ledger_accounts"("kind", "user_id", "currency");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transactions_idempotency_key_key" ON "ledger_transactions"("idempotency_key");

-- CreateIndex
CREATE INDEX "ledger_transactions_user_id_created_at_idx" ON "ledger_transactions"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "ledger_entries_account_id_idx" ON "ledger_entries"("account_id");

-- CreateIndex
CREATE INDEX "ledger_entries_transaction_id_idx" ON "ledger_entries"("transaction_id");

-- AddForeignKey
ALTER TABLE "plan_prices" ADD CONSTRAINT "plan_prices_plan_version_id_fkey" FOREIGN KEY ("plan_version_id") REFERENCES "plan_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_plan_version_id_fkey" FOREIGN KEY ("plan_version_id") REFERENCES "plan_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_plan_version_id_fkey" FOREIGN KEY ("plan_version_id") REFERENCES "plan_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Hand-written: invariants that schema.prisma cannot express. No semicolon may
-- appear inside a statement or comment (see the init migration): function
-- bodies are escape strings with \073 for each semicolon.

-- SUB-9: one live subscription per account, whatever the application does.
CREATE UNIQUE INDEX "subscriptions_one_live_per_user" ON "subscriptions"("user_id") WHERE "status" <> 'expired';
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_period_order" CHECK ("period_end" > "period_start" AND "period_index" >= 1);
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_paid_non_negative" CHECK ("period_paid_minor" >= 0);

-- PLAN-2: one version of a tier is on sale at a time.
CREATE UNIQUE INDEX "plan_versions_one_current_per_tier" ON "plan_versions"("tier") WHERE "current";
ALTER TABLE "plan_prices" ADD CONSTRAINT "plan_prices_positive" CHECK ("amount_minor" > 0);
ALTER TABLE "billing_regions" ADD CONSTRAINT "billing_regions_sane" CHECK ("cancel_cutoff_seconds" >= 0 AND "card_minimum_minor" >= 0 AND "first_order_discount_bps" BETWEEN 0 AND 10000);

-- SUB-8: the stock never sells more than it holds.
ALTER TABLE "stock_days" ADD CONSTRAINT "stock_days_within_capacity" CHECK ("sold" >= 0 AND "sold" <= "capacity");

ALTER TABLE "invoices" ADD CONSTRAINT "invoices_amounts_non_negative" CHECK ("total_minor" >= 0 AND "card_minor" >= 0);
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_positive" CHECK ("amount_minor" > 0);

-- WALLET-3: user accounts belong to a user, system accounts to nobody, and a
-- user's balance never goes below zero. System accounts are unique per currency.
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_owner_matches_kind" CHECK (("kind" IN ('user_credits', 'user_cash')) = ("user_id" IS NOT NULL));
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_balance_non_negative" CHECK ("user_id" IS NULL OR "balance_minor" >= 0);
CREATE UNIQUE INDEX "ledger_accounts_one_system_account" ON "ledger_accounts"("kind", "currency") WHERE "user_id" IS NULL;
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_non_zero" CHECK ("amount_minor" <> 0);

-- Balances are derived from the entries: each entry moves its account's balance,
-- and nothing else may write the balance column.
CREATE FUNCTION "ledger_apply_entry"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN UPDATE "ledger_accounts" SET "balance_minor" = "balance_minor" + NEW."amount_minor" WHERE "id" = NEW."account_id"\073 RETURN NEW\073 END';
CREATE TRIGGER "ledger_entries_apply" AFTER INSERT ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "ledger_apply_entry"();
CREATE FUNCTION "ledger_refuse_balance_write"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''ledger balances are derived from entries'' USING ERRCODE = ''insufficient_privilege''\073 END';
CREATE TRIGGER "ledger_accounts_balance_derived" BEFORE UPDATE OF "balance_minor" ON "ledger_accounts"
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "ledger_refuse_balance_write"();

-- Double entry: at commit, every transaction's entries sum to zero per currency.
CREATE FUNCTION "ledger_check_balanced"() RETURNS trigger LANGUAGE plpgsql AS
  E'DECLARE unbalanced text\073 BEGIN SELECT a."currency" INTO unbalanced FROM "ledger_entries" e JOIN "ledger_accounts" a ON a."id" = e."account_id" WHERE e."transaction_id" = NEW."transaction_id" GROUP BY a."currency" HAVING sum(e."amount_minor") <> 0 LIMIT 1\073 IF unbalanced IS NOT NULL THEN RAISE EXCEPTION ''ledger transaction % does not balance in %'', NEW."transaction_id", unbalanced USING ERRCODE = ''check_violation''\073 END IF\073 RETURN NULL\073 END';
CREATE CONSTRAINT TRIGGER "ledger_entries_balanced" AFTER INSERT ON "ledger_entries"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_check_balanced"();

-- The ledger is history: postings are corrected by reversal, never edited.
CREATE FUNCTION "ledger_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''% is append-only (% refused)'', TG_TABLE_NAME, TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
CREATE TRIGGER "ledger_transactions_append_only" BEFORE UPDATE OR DELETE ON "ledger_transactions"
  FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
