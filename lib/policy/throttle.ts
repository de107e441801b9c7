import type { PolicySettings } from "./config";

/**
 * POLICY-1's restriction, pure: while a subscription is throttled it gets
 * the throttle's concurrency (never more than its tier's) and at most the
 * throttle's prompts a minute. It lifts by itself at `throttledUntil`, which
 * each new sign of misuse moves on (lib/policy/violations.ts).
 */
export function isThrottled(plan: { throttledUntil: Date | null }, now: Date): boolean {
  return plan.throttledUntil !== null && plan.throttledUntil.getTime() > now.getTime();
}

export function effectiveConcurrency(
  plan: { concurrency: number; throttledUntil: Date | null },
  now: Date,
  throttle: PolicySettings["throttle"],
): number {
  return isThrottled(plan, now) ? Math.min(plan.concurrency, throttle.concurrency) : plan.concurrency;
}
