-- CreateTable
CREATE TABLE "referral_invites" (
    "id" UUID NOT NULL,
    "inviter_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_invites_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "referral_invites_inviter_id_sent_at_idx" ON "referral_invites"("inviter_id", "sent_at");

-- CreateIndex
CREATE UNIQUE INDEX "referral_invites_inviter_id_email_key" ON "referral_invites"("inviter_id", "email");

-- AddForeignKey
ALTER TABLE "referral_invites" ADD CONSTRAINT "referral_invites_inviter_id_fkey" FOREIGN KEY ("inviter_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

