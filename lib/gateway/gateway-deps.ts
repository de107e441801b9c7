import { appClock } from "../clock";
import { env } from "../config/env";
import { quotaContext } from "../quota";
import type { GatewayDeps } from "./call";

/** The running app's reference gateway: upstream from UPSTREAM_OPENAI_URL, else the local responder. */
export function appGatewayDeps(): GatewayDeps {
  const config = env();
  const clock = appClock();
  return {
    ctx: quotaContext(),
    now: () => clock.now(),
    leaseSeconds: config.QUOTA_SLOT_LEASE_SECONDS,
    upstream: config.UPSTREAM_OPENAI_URL ? { url: config.UPSTREAM_OPENAI_URL, apiKey: config.UPSTREAM_API_KEY } : null,
    log: (line) => console.log(`gateway: ${line}`),
  };
}
