import { z } from "zod";
import { FLAG_STATES, FRAUD_RULE_TYPES } from "@/lib/referrals";

export const REVIEW_ACTIONS = ["release", "reject", "ban"] as const;

// Unknown values fall back to the default rather than failing: a hand-edited address still shows the queue.
export const queueFilter = z.object({
  rule: z
    .string()
    .refine((r) => FRAUD_RULE_TYPES.includes(r))
    .optional()
    .catch(undefined),
  state: z.enum([...FLAG_STATES, "all"]).catch("open"),
});

export type QueueFilter = z.infer<typeof queueFilter>;

/** The queue's address for a filter, with an optional outcome to confirm (?done=release&changed=2). */
export function queueHref(filter: QueueFilter, done?: { action: string; changed: number }) {
  const q = new URLSearchParams();
  if (filter.rule) q.set("rule", filter.rule);
  if (filter.state !== "open") q.set("state", filter.state);
  if (done) {
    q.set("done", done.action);
    q.set("changed", String(done.changed));
  }
  const s = q.toString();
  return s ? `/admin/referrals?${s}` : "/admin/referrals";
}
