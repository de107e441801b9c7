import type { State } from "./state";
import type { Charge } from "./stripe-objects";

/**
 * A charge with its `refunds` list. Since API 2022-11-15 Stripe leaves the
 * list out unless expanded, but includes it in `charge.refunded` events,
 * which is where handlers look for the refund that just happened.
 */
export function chargeWithRefunds(state: State, charge: Charge) {
  const data = Object.values(state.refunds)
    .filter((r) => r.charge === charge.id)
    .reverse();
  return {
    ...charge,
    refunds: { object: "list" as const, data, has_more: false, url: `/v1/charges/${charge.id}/refunds` },
  };
}
