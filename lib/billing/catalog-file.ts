import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { PAY_METHODS, RECURRING_WALLETS } from "../payments/port";
import { CYCLES } from "./types";

const minor = z.number().int().positive();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const timeZone = z
  .string()
  .refine((tz) => Intl.supportedValuesOf("timeZone").includes(tz) || tz === "UTC", "unknown time zone");
const cyclePrices = z.object(
  Object.fromEntries(CYCLES.map((c) => [c, minor])) as Record<(typeof CYCLES)[number], typeof minor>,
);
const quota = z.object({
  prompts5h: z.number().int().positive(),
  weeklyPrompts: z.number().int().positive().nullable(),
  mcpMonthly: z.number().int().nonnegative(),
  concurrency: z.number().int().positive(),
});
const perTier = <T extends z.ZodTypeAny>(s: T) => z.object({ lite: s, pro: s, max: s });
const region = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  timeZone,
  cancelCutoffHours: z.number().nonnegative(),
  cardMinimumMinor: z.number().int().nonnegative(),
  firstOrderDiscountBps: z.number().int().min(0).max(10000),
  // PAY-3: how buyers here may pay what the wallet does not cover; the card alone unless the operator adds wallets.
  paymentMethods: z.array(z.enum(PAY_METHODS)).min(1).default(["card"]),
  // PAY-3: wallets buyers here may save for renewals (Alipay's automatic payments; Stripe enables them per account).
  recurringWallets: z.array(z.enum(RECURRING_WALLETS)).default([]),
});

// QUOTA-4..6: model entitlement and prompt cost (read by lib/quota/models.ts).
const models = z.object({
  peak: z.object({ timeZone, from: hhmm, to: hhmm }),
  mcpMonthTimeZone: timeZone,
  list: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case model id"),
        name: z.string().min(1),
        tiers: z.array(z.enum(["lite", "pro", "max"])).min(1),
        peakCost: z.number().int().positive(),
        offPeakCost: z.number().int().positive(),
      }),
    )
    .min(1),
});

// REF-2..5 and the fraud rules' thresholds (read by lib/referrals/config.ts).
const bps = z.number().int().min(0).max(10000);
const hours = z.number().positive();
const count = z.number().int().positive();
const referrals = z.object({
  discountBps: bps,
  rewardBps: bps,
  attributionHours: hours,
  refundWindowHours: hours,
  reviewAfterHours: hours,
  issueWithinHours: hours,
  fraud: z.object({
    bulkRegistration: z.object({ windowHours: hours, minSignups: count }),
    sharedDevice: z.object({ windowDays: hours, minAccounts: count }),
    refundRate: z.object({ minInvitees: count, thresholdBps: bps }),
  }),
});

// BILL-1: pay-as-you-go prices per million tokens, in minor units with up to
// six decimals ("0.6" = 0.6 cent), by version with an effective time (read by lib/api-billing).
const perMillion = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,6})?$/, "a price in minor units per million tokens, up to 6 decimals");
const api = z.object({
  cachedInputRatioBps: bps,
  priceVersions: z
    .array(
      z.object({
        effectiveFrom: z.iso.datetime({ offset: true }),
        prices: z.record(
          z.string().regex(/^[A-Z]{3}$/),
          z.record(z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/), z.object({ input: perMillion, output: perMillion })),
        ),
      }),
    )
    .min(1),
  // BILL-3: resource packs for sale, per currency: the price paid and the value
  // it holds for pay-as-you-go calls (at least the price), spendable for validDays.
  packs: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        validDays: z.number().int().positive().max(3660),
        prices: z.record(
          z.string().regex(/^[A-Z]{3}$/),
          z
            .object({ priceMinor: minor, valueMinor: minor })
            .refine((p) => p.valueMinor >= p.priceMinor, "a pack is worth at least its price"),
        ),
      }),
    )
    .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, "pack ids must be unique"),
  // A call's hold covers its prompt and this many output tokens when it names no max_tokens.
  defaultMaxOutputTokens: z.number().int().positive(),
  // A hold left by a caller that died stops counting after this long.
  holdMinutes: z
    .number()
    .int()
    .positive()
    .max(24 * 60),
});

// POLICY-1..3: the usage-policy rules' thresholds (lib/policy), and what a violation does.
const policy = z.object({
  codingClients: z.array(z.string().trim().toLowerCase().min(1)).min(1),
  lookbackMinutes: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 60),
  notCoding: z.object({ minCalls: count, thresholdBps: bps }),
  // POLICY-3: how many distinct networks, clients and devices one key, and all of one subscription's keys together, may show within the window.
  sharing: z.object({
    windowMinutes: z.number().int().positive(),
    maxNetworksPerKey: count,
    maxClientsPerKey: count,
    maxDevicesPerKey: count,
    perSubscription: z.object({ maxNetworks: count, maxClients: count, maxDevices: count }),
  }),
  throttle: z.object({ concurrency: count, promptsPerMinute: count, quietHours: z.number().int().positive() }),
  banAfter: count,
});

export const catalogFileSchema = z
  .object({
    regions: z.object({ intl: region, cn: region }),
    stock: z.object({
      dailyPerTier: z.number().int().nonnegative(),
      releaseTime: hhmm,
      timeZone: z.string(),
    }),
    versions: z
      .array(
        z.object({
          version: z.number().int().positive(),
          current: z.boolean(),
          quotas: perTier(quota),
          prices: z.record(z.string().regex(/^[A-Z]{3}$/), perTier(cyclePrices)),
        }),
      )
      .min(1),
    models,
    referrals,
    api,
    policy,
  })
  .refine((f) => f.versions.filter((v) => v.current).length === 1, "exactly one version must be current")
  .refine(
    (f) => Object.values(f.regions).every((r) => r.recurringWallets.every((w) => r.paymentMethods.includes(w))),
    "a region's recurringWallets must be among its paymentMethods",
  )
  .refine(
    (f) => new Set(f.versions.map((v) => v.version)).size === f.versions.length,
    "version numbers must be unique",
  );

export type CatalogFile = z.infer<typeof catalogFileSchema>;

/** The operator's catalog (prisma/catalog.json, or CODEPLAN_CATALOG_FILE). Invalid → a clear start-up error. */
export function readCatalogFile(
  file = process.env.CODEPLAN_CATALOG_FILE ?? path.join(process.cwd(), "prisma", "catalog.json"),
): CatalogFile {
  // Read at run time, never bundled: the ignore comment keeps Next's file tracer from taking in the whole project.
  const parsed = catalogFileSchema.safeParse(JSON.parse(readFileSync(/* turbopackIgnore: true */ file, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`catalog ${file}: ${issue.path.join(".") || "file"}: ${issue.message}`);
  }
  return parsed.data;
}
