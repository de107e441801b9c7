-- CreateTable
CREATE TABLE "gateway_outcome_days" (
    "day" DATE NOT NULL,
    "code" TEXT NOT NULL,
    "calls" BIGINT NOT NULL,

    CONSTRAINT "gateway_outcome_days_pkey" PRIMARY KEY ("day","code")
);

