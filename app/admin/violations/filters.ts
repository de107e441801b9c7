import { z } from "zod";
import { POLICY_RULE_TYPES, VIOLATION_STATES } from "@/lib/policy";

export const FILTER_STATES = ["undecided", ...VIOLATION_STATES, "all"] as const;
export const DONE = ["upheld", "reversed", "unbanned"] as const;

// Unknown values fall back to the default rather than failing: a hand-edited address still shows the queue.
export const queueFilter = z.object({
  rule: z
    .string()
    .refine((r) => POLICY_RULE_TYPES.includes(r))
    .optional()
    .catch(undefined),
  state: z.enum(FILTER_STATES).catch("undecided"),
  user: z.uuid().optional().catch(undefined),
});

export type QueueFilter = z.infer<typeof queueFilter>;

/** The queue's address for a filter, with an optional outcome to confirm (?done=reversed). */
export function queueHref(filter: QueueFilter, done?: (typeof DONE)[number]) {
  const q = new URLSearchParams();
  if (filter.rule) q.set("rule", filter.rule);
  if (filter.state !== "undecided") q.set("state", filter.state);
  if (filter.user) q.set("user", filter.user);
  if (done) q.set("done", done);
  const s = q.toString();
  return s ? `/admin/violations?${s}` : "/admin/violations";
}
