-- AlterTable
-- QUOTA-1: every call belongs to a prompt. A call reported before tool loops
-- were recognised was a prompt of its own.
ALTER TABLE "usage_reports" ADD COLUMN     "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "prompt_id" TEXT;
UPDATE "usage_reports" SET "prompt_id" = "request_id";
ALTER TABLE "usage_reports" ALTER COLUMN "prompt_id" SET NOT NULL;

-- CreateTable
CREATE TABLE "gateway_tool_calls" (
    "subscription_id" UUID NOT NULL,
    "tool_call_id" TEXT NOT NULL,
    "prompt_id" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gateway_tool_calls_pkey" PRIMARY KEY ("subscription_id","tool_call_id")
);

-- CreateTable
CREATE TABLE "prompt_continuations" (
    "subscription_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "prompt_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "prompt_continuations_pkey" PRIMARY KEY ("subscription_id","request_id")
);

-- CreateIndex
CREATE INDEX "gateway_tool_calls_issued_at_idx" ON "gateway_tool_calls"("issued_at");

-- CreateIndex
CREATE INDEX "prompt_continuations_at_idx" ON "prompt_continuations"("at");

