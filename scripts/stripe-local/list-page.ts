import { invalidParam } from "./api-error";
import type { FormObject } from "./form-body";
import { optInt, optString } from "./params";

/**
 * Stripe's list envelope with cursor paging. `items` must already be in the
 * order Stripe lists them (newest first).
 */
export function listPage<T extends { id: string }>(items: T[], params: FormObject, url: string) {
  const limit = optInt(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", "This value must be between 1 and 100 (inclusive).");
  const startingAfter = optString(params, "starting_after");
  const endingBefore = optString(params, "ending_before");
  let start = 0;
  let end = items.length;
  if (startingAfter) {
    const i = items.findIndex((x) => x.id === startingAfter);
    if (i < 0) throw invalidParam("starting_after", `No such object: '${startingAfter}'`, "resource_missing");
    start = i + 1;
  } else if (endingBefore) {
    const i = items.findIndex((x) => x.id === endingBefore);
    if (i < 0) throw invalidParam("ending_before", `No such object: '${endingBefore}'`, "resource_missing");
    end = i;
    start = Math.max(0, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  const hasMore = endingBefore && !startingAfter ? start > 0 : start + data.length < end;
  return { object: "list" as const, data, has_more: hasMore, url };
}
