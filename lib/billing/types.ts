/** The shapes the pure billing core works on. Money is bigint minor units (WALLET-3). */
export const TIERS = ["lite", "pro", "max"] as const;
export type Tier = (typeof TIERS)[number];

export const CYCLES = ["monthly", "quarterly", "yearly"] as const;
export type Cycle = (typeof CYCLES)[number];

export type RegionId = "intl" | "cn";

export type RegionRules = {
  region: RegionId;
  currency: string;
  /** Business time zone for calendar arithmetic (SUB-1). */
  timeZone: string;
  cancelCutoffSeconds: number;
  cardMinimumMinor: bigint;
  firstOrderDiscountBps: number;
};

export type PlanVersion = {
  id: string;
  tier: Tier;
  version: number;
  current: boolean;
  prompts5h: number;
  weeklyPrompts: number | null;
  mcpMonthly: number;
  concurrency: number;
  /** currency → cycle → price in minor units */
  prices: Record<string, Partial<Record<Cycle, bigint>>>;
};

export type StockRules = { dailyPerTier: number; releaseHour: number; releaseMinute: number; timeZone: string };

export type Catalog = {
  regions: Record<RegionId, RegionRules>;
  versions: PlanVersion[];
  stock: StockRules;
};

/** The part of a subscription the pure core reasons about. */
export type SubscriptionState = {
  tier: Tier;
  cycle: Cycle;
  planVersionId: string;
  region: RegionId;
  currency: string;
  autoRenew: boolean;
  cycleAnchor: Date;
  periodIndex: number;
  periodStart: Date;
  periodEnd: Date;
  periodPaidMinor: bigint;
  scheduledTier: Tier | null;
  scheduledCycle: Cycle | null;
};
