-- CreateEnum
CREATE TYPE "DocumentSeriesKind" AS ENUM ('invoice', 'credit_note');

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "legal_number" TEXT;

-- AlterTable
ALTER TABLE "refunds" ADD COLUMN     "excess_minor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "shortfall_minor" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "document_series" (
    "kind" "DocumentSeriesKind" NOT NULL,
    "region" "Region" NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "document_series_pkey" PRIMARY KEY ("kind","region","year")
);

-- CreateTable
CREATE TABLE "credit_notes" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "refund_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "currency" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credit_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_note_lines" (
    "id" BIGSERIAL NOT NULL,
    "credit_note_id" UUID NOT NULL,
    "kind" "InvoiceLineKind" NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "credit_note_lines_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_number_key" ON "credit_notes"("number");

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_refund_id_key" ON "credit_notes"("refund_id");

-- CreateIndex
CREATE INDEX "credit_notes_user_id_issued_at_idx" ON "credit_notes"("user_id", "issued_at");

-- CreateIndex
CREATE INDEX "credit_notes_invoice_id_idx" ON "credit_notes"("invoice_id");

-- CreateIndex
CREATE INDEX "credit_note_lines_credit_note_id_idx" ON "credit_note_lines"("credit_note_id");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_legal_number_key" ON "invoices"("legal_number");

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_refund_id_fkey" FOREIGN KEY ("refund_id") REFERENCES "refunds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_credit_note_id_fkey" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- INV-1 and REFUND-1 invariants the schema cannot state. Invoices paid before
-- this migration keep the number their receipts already show (legal_number
-- stays null): renumbering them would contradict documents customers hold.
ALTER TABLE "document_series" ADD CONSTRAINT "document_series_last_positive" CHECK ("last" > 0);
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_amount_positive" CHECK ("amount_minor" > 0);
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_excess_within_amount" CHECK ("excess_minor" >= 0 AND "shortfall_minor" >= 0 AND "shortfall_minor" <= "excess_minor" AND "excess_minor" <= "amount_minor");
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_legal_number_only_paid" CHECK ("legal_number" IS NULL OR "status" = 'paid');
