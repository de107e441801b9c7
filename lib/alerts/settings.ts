import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db";
import type { Thresholds } from "./thresholds";
import { parseWebhookUrl, WEBHOOK_URL_MAX } from "./webhook-target";

/** ALERT-1's defaults: 80 % and 100 % of every window, in the app and by e-mail, no low-balance alert, no webhook. */
export const DEFAULT_PERCENTAGES = [80, 100];
export const MAX_THRESHOLDS = 4;

export type AlertSettings = Thresholds & {
  byEmail: boolean;
  inApp: boolean;
  webhookUrl: string | null;
  webhookSecret: string | null;
};

export const DEFAULT_SETTINGS: AlertSettings = {
  five_hour: DEFAULT_PERCENTAGES,
  weekly: DEFAULT_PERCENTAGES,
  monthly: DEFAULT_PERCENTAGES,
  lowBalanceMinor: null,
  lowBalanceCurrency: null,
  byEmail: true,
  inApp: true,
  webhookUrl: null,
  webhookSecret: null,
};

// "80, 100" → [80, 100]: whole percentages from 1 to 100, distinct, at most four; empty means none.
const percentages = z
  .string()
  .max(40, "alert_thresholds_invalid")
  .transform((s) => s.split(/[,，\s]+/).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,3}$/, "alert_thresholds_invalid")
          .transform(Number)
          .pipe(z.number().int().min(1, "alert_thresholds_invalid").max(100, "alert_thresholds_invalid")),
      )
      .max(MAX_THRESHOLDS, "alert_thresholds_invalid"),
  )
  .transform((list) => [...new Set(list)].sort((a, b) => a - b));

/** What the settings form sends, checked before anything is read or written. */
export const settingsInput = z.object({
  fiveHour: percentages,
  weekly: percentages,
  monthly: percentages,
  // A decimal amount in the account's currency, e.g. "5" or "5.50"; empty turns the alert off.
  lowBalance: z
    .string()
    .trim()
    .max(12, "alert_balance_invalid")
    .regex(/^(\d{1,8}(\.\d{1,2})?)?$/, "alert_balance_invalid"),
  byEmail: z.boolean(),
  inApp: z.boolean(),
  // The shape here, with the other fields' errors; where it points is checked after (it needs a DNS lookup).
  webhookUrl: z
    .string()
    .trim()
    .max(WEBHOOK_URL_MAX, "webhook_url_invalid")
    .refine((s) => s === "" || parseWebhookUrl(s) !== null, "webhook_url_invalid"),
});
export type SettingsInput = z.infer<typeof settingsInput>;

export async function alertSettingsOf(database: Db, userId: string): Promise<AlertSettings> {
  const row = await database.alertSetting.findUnique({ where: { userId } });
  if (!row) return DEFAULT_SETTINGS;
  return {
    five_hour: row.fiveHour,
    weekly: row.weekly,
    monthly: row.monthly,
    lowBalanceMinor: row.lowBalanceMinor,
    lowBalanceCurrency: row.lowBalanceCurrency,
    byEmail: row.byEmail,
    inApp: row.inApp,
    webhookUrl: row.webhookUrl,
    webhookSecret: row.webhookSecret,
  };
}

/** A Standard Webhooks signing secret: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * Saves the settings. The signing secret is made with the first webhook URL
 * and kept when the URL changes, so a receiver that verifies need not be
 * told again; removing the URL removes the secret too.
 */
export async function saveAlertSettings(
  database: Db,
  userId: string,
  input: {
    fiveHour: number[];
    weekly: number[];
    monthly: number[];
    lowBalanceMinor: bigint | null;
    currency: string;
    byEmail: boolean;
    inApp: boolean;
    webhookUrl: string | null;
  },
  now: Date,
) {
  const current = await database.alertSetting.findUnique({ where: { userId }, select: { webhookSecret: true } });
  const webhookSecret = input.webhookUrl ? (current?.webhookSecret ?? newWebhookSecret()) : null;
  const data = {
    fiveHour: input.fiveHour,
    weekly: input.weekly,
    monthly: input.monthly,
    lowBalanceMinor: input.lowBalanceMinor,
    lowBalanceCurrency: input.lowBalanceMinor === null ? null : input.currency,
    byEmail: input.byEmail,
    inApp: input.inApp,
    webhookUrl: input.webhookUrl,
    webhookSecret,
    updatedAt: now,
  };
  await database.alertSetting.upsert({ where: { userId }, create: { userId, ...data }, update: data });
}
