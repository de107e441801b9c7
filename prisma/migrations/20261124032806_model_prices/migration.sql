-- CreateTable
CREATE TABLE "model_prices" (
    "model" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "input_per_million_micro" BIGINT NOT NULL,
    "output_per_million_micro" BIGINT NOT NULL,
    "cached_ratio_bps" INTEGER NOT NULL,

    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("model","currency","effective_from")
);


-- Hand-written: prices are never negative, and the cached share is a share.
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_sane" CHECK (
  "input_per_million_micro" >= 0 AND "output_per_million_micro" >= 0 AND "cached_ratio_bps" BETWEEN 0 AND 10000);
