import { applyDispute } from "./dispute";
import { eachEvent, type EventHandler } from "./types";

/** A dispute opened: the subscription is suspended and an admin flag raised. */
export const chargeDisputeCreated: EventHandler<"charge.dispute.created"> = eachEvent((deps, event) =>
  applyDispute(deps, event.data.object, false),
);
