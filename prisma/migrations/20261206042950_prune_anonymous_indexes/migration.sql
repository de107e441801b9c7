-- The worker prunes what anonymous requests write (lib/jobs/prune-anonymous.ts): by age,
-- and a visit only when no invitation rests on it (the index also serves the foreign key check on delete).
-- CreateIndex
CREATE INDEX "sign_in_attempts_created_at_idx" ON "sign_in_attempts"("created_at");

-- CreateIndex
CREATE INDEX "referral_visits_at_idx" ON "referral_visits"("at");

-- CreateIndex
CREATE INDEX "referrals_visit_id_idx" ON "referrals"("visit_id");

