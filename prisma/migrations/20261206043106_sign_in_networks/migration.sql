-- AlterTable
ALTER TABLE "sign_in_attempts" ADD COLUMN     "throttled" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "sign_up_requests" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "name" TEXT,
    "locale" TEXT NOT NULL,
    "visit_id" TEXT,
    "sighting" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_up_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mail_send_hits" (
    "id" BIGSERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mail_send_hits_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sign_up_requests_email_created_at_idx" ON "sign_up_requests"("email", "created_at");

-- CreateIndex
CREATE INDEX "sign_up_requests_expires_at_idx" ON "sign_up_requests"("expires_at");

-- CreateIndex
CREATE INDEX "mail_send_hits_scope_key_created_at_idx" ON "mail_send_hits"("scope", "key", "created_at");

-- CreateIndex
CREATE INDEX "mail_send_hits_created_at_idx" ON "mail_send_hits"("created_at");

-- CreateIndex
CREATE INDEX "sign_in_attempts_email_created_at_idx" ON "sign_in_attempts"("email", "created_at");

