import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { parseMoney } from "../money/parse";
import { KeyError } from "./keys";

/**
 * KEY-1: a key's own limits inside the plan (prompts per 5 hours and per
 * week, pay-as-you-go spend per day) and its expiry, as a person types them
 * on /keys. Empty means "no limit". Error messages are i18n keys.
 */

/** A limit above any plan's window would never bite; this bound only keeps typos out. */
export const KEY_LIMIT_MAX = 1_000_000;

const count = z
  .string()
  .trim()
  .transform((s, c) => {
    if (s === "") return null;
    if (!/^\d{1,7}$/.test(s) || Number(s) < 1 || Number(s) > KEY_LIMIT_MAX) {
      c.addIssue({ code: "custom", message: "key_limit_invalid" });
      return z.NEVER;
    }
    return Number(s);
  });

const day = z
  .string()
  .trim()
  .refine((s) => s === "" || /^\d{4}-\d{2}-\d{2}$/.test(s), "key_expiry_invalid");

export const keyTermsInput = z.object({
  keyId: z.uuid("key_not_found"),
  limit5h: count,
  limitWeek: count,
  dailyCap: z.string().trim().max(20, "key_cap_invalid"),
  expiresOn: day,
});

export type KeyTerms = {
  limit5h: number | null;
  limitWeek: number | null;
  paygDailyCapMinor: bigint | null;
  expiresAt: Date | null;
};

/**
 * The parsed form as the stored terms: the cap in the account's currency's
 * minor units; the expiry as the end of the chosen day in the viewer's zone
 * (the key works through that day), which must be in the future.
 */
export function termsOf(
  input: z.infer<typeof keyTermsInput>,
  currency: string,
  timeZone: string,
  now: Date,
): KeyTerms | { field: string; error: string } {
  let cap: bigint | null = null;
  if (input.dailyCap !== "") {
    cap = parseMoney(input.dailyCap, currency);
    if (cap === null) return { field: "dailyCap", error: "key_cap_invalid" };
  }
  let expiresAt: Date | null = null;
  if (input.expiresOn !== "") {
    try {
      const start = Temporal.PlainDate.from(input.expiresOn, { overflow: "reject" })
        .add({ days: 1 })
        .toZonedDateTime(timeZone);
      expiresAt = new Date(start.epochMilliseconds);
    } catch {
      return { field: "expiresOn", error: "key_expiry_invalid" };
    }
    if (expiresAt.getTime() <= now.getTime()) return { field: "expiresOn", error: "key_expiry_past" };
  }
  return { limit5h: input.limit5h, limitWeek: input.limitWeek, paygDailyCapMinor: cap, expiresAt };
}

/**
 * Sets (or clears) a live key's terms. The update fires the trigger that
 * drops the key from every process's cache when its expiry changes; the
 * limits are read by quota_consume and api_reserve under their locks, so they
 * hold from the next decision.
 */
export async function setKeyTerms(db: Db, userId: string, keyId: string, terms: KeyTerms, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: keyId, userId, revokedAt: null } });
    if (!key) throw new KeyError("key_not_found");
    await tx.apiKey.update({ where: { id: key.id }, data: terms });
    const view = (t: KeyTerms) => ({
      limit5h: t.limit5h,
      limitWeek: t.limitWeek,
      paygDailyCapMinor: t.paygDailyCapMinor?.toString() ?? null,
      expiresAt: t.expiresAt?.toISOString() ?? null,
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "api_key.terms",
      subjectType: "api_key",
      subjectId: key.id,
      before: view(key),
      after: view(terms),
      at: now,
    });
  });
}

/** The currency a key's daily cap is in: the account's region's (what api_reserve counts its spend in). */
export async function accountCurrency(db: Db, userId: string): Promise<string> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { region: true } });
  return (await db.billingRegion.findUniqueOrThrow({ where: { region: user.region }, select: { currency: true } }))
    .currency;
}
