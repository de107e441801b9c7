import { TIER_RANK } from "./catalog";
import type { Cycle, SubscriptionState, Tier } from "./types";

export type ChangeKind = "upgrade" | "downgrade" | "cycle_change" | "none";

/**
 * SUB-4/SUB-5: a higher tier is an upgrade (at once, whatever the cycle); a
 * lower tier is a downgrade and a different cycle on the same tier a cycle
 * change (both at the end of the cycle).
 */
export function classifyChange(
  current: { tier: Tier; cycle: Cycle },
  target: { tier: Tier; cycle: Cycle },
): ChangeKind {
  const d = TIER_RANK[target.tier] - TIER_RANK[current.tier];
  if (d > 0) return "upgrade";
  if (d < 0) return "downgrade";
  return target.cycle === current.cycle ? "none" : "cycle_change";
}

/**
 * SUB-5: the change to schedule for the period end. Only one change is kept
 * (a new one replaces it); asking for the plan the subscriber already has
 * withdraws a scheduled change.
 */
export function scheduleChange(state: Pick<SubscriptionState, "tier" | "cycle">, target: { tier: Tier; cycle: Cycle }) {
  const kind = classifyChange(state, target);
  if (kind === "upgrade") return { ok: false as const, error: "upgrade_is_immediate" };
  if (kind === "none") return { ok: true as const, scheduledTier: null, scheduledCycle: null };
  return { ok: true as const, scheduledTier: target.tier, scheduledCycle: target.cycle };
}
