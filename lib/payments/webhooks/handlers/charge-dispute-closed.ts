import { applyDispute } from "./dispute";
import { eachEvent, type EventHandler } from "./types";

/** A dispute closed: won restores the subscription; lost ends it and books the money taken back. */
export const chargeDisputeClosed: EventHandler<"charge.dispute.closed"> = eachEvent((deps, event) =>
  applyDispute(deps, event.data.object, true),
);
