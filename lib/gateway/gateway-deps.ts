import { appClock } from "../clock";
import { env } from "../config/env";
import { quotaContext } from "../quota";
import type { GatewayDeps } from "./call";
import { modelServersOf } from "./model-servers";

/** The running app's reference gateway: the configured model servers, else (outside production) the local responder. */
export function appGatewayDeps(): GatewayDeps {
  const config = env();
  const clock = appClock();
  return {
    ctx: quotaContext(),
    now: () => clock.now(),
    leaseSeconds: config.QUOTA_SLOT_LEASE_SECONDS,
    servers: modelServersOf(config),
    log: (line) => console.log(`gateway: ${line}`),
  };
}
