import { ok, type Route } from "../api-context";
import { noSuch } from "../api-error";
import { chargeWithRefunds } from "../charge-view";
import { expandPaths } from "../params";

export const chargeRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/charges/:id",
    handler(ctx, params, { id }) {
      const charge = ctx.state.charges[id];
      if (!charge) throw noSuch("charge", id);
      return ok(expandPaths(params).includes("refunds") ? chargeWithRefunds(ctx.state, charge) : charge);
    },
  },
];
