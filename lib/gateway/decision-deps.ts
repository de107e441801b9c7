import { appClock } from "../clock";
import { env } from "../config/env";
import { quotaContext } from "../quota";
import type { DecisionDeps } from "./decision-api";

/** The running app's decision API dependencies; null when no gateway secret is configured. */
export function appDecisionDeps(): DecisionDeps | null {
  const config = env();
  if (!config.GATEWAY_SECRET) return null;
  const clock = appClock();
  return {
    ctx: quotaContext(),
    secret: config.GATEWAY_SECRET,
    now: () => clock.now(),
    leaseSeconds: config.QUOTA_SLOT_LEASE_SECONDS,
  };
}
