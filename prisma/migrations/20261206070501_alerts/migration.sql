-- CreateTable
CREATE TABLE "alert_settings" (
    "user_id" UUID NOT NULL,
    "five_hour" INTEGER[],
    "weekly" INTEGER[],
    "monthly" INTEGER[],
    "low_balance_minor" BIGINT,
    "low_balance_currency" TEXT,
    "by_email" BOOLEAN NOT NULL DEFAULT true,
    "in_app" BOOLEAN NOT NULL DEFAULT true,
    "webhook_url" TEXT,
    "webhook_secret" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_settings_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "alert_states" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "threshold" BIGINT NOT NULL,
    "window_key" TEXT NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_states_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "state_id" UUID,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "mailed_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "last_status" INTEGER,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_states_user_id_subject_idx" ON "alert_states"("user_id", "subject");

-- CreateIndex
CREATE INDEX "alert_states_resolved_at_idx" ON "alert_states"("resolved_at");

-- CreateIndex
CREATE INDEX "alert_events_mailed_at_idx" ON "alert_events"("mailed_at");

-- CreateIndex
CREATE INDEX "alert_events_user_id_created_at_idx" ON "alert_events"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_events_state_id_type_key" ON "alert_events"("state_id", "type");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_user_id_created_at_idx" ON "webhook_deliveries"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "alert_events"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ALERT-1: one open state per subject and threshold, so a threshold fires once per window.
CREATE UNIQUE INDEX "alert_states_open_key" ON "alert_states"("user_id", "subject", "threshold") WHERE "resolved_at" IS NULL;
