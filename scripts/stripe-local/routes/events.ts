import { ok, type Route } from "../api-context";
import { noSuch } from "../api-error";
import { listPage } from "../list-page";
import { optList, optString } from "../params";

/** Stripe's event type filter: an exact type, or a prefix ending in `*` ("charge.*"). */
function matchesType(type: string, pattern: string): boolean {
  return pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

export const eventRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/events",
    handler(ctx, params) {
      const type = optString(params, "type");
      const types = optList(params, "types");
      const patterns = [...(type ? [type] : []), ...(types ?? [])];
      const events = ctx.state.events
        .filter((e) => patterns.length === 0 || patterns.some((p) => matchesType(e.type, p)))
        .reverse();
      return ok(listPage(events, params, "/v1/events"));
    },
  },
  {
    method: "GET",
    pattern: "/v1/events/:id",
    handler(ctx, _params, { id }) {
      const event = ctx.state.events.find((e) => e.id === id);
      if (!event) throw noSuch("event", id);
      return ok(event);
    },
  },
];
