import { Temporal } from "temporal-polyfill";
import { z } from "zod";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined);
const date = z.iso.date().optional().catch(undefined);

// Unknown or malformed values are dropped rather than refused: a hand-edited address still shows the log.
export const auditSearch = z.object({
  action: text(100),
  actor: text(200),
  subject: text(100),
  from: date,
  to: date,
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .catch(undefined),
});

export type AuditSearch = z.infer<typeof auditSearch>;

/** The date filters as instants: from the start of `from` to the end of `to` (inclusive), on the viewer's wall clock. */
export function dateBounds(search: AuditSearch, timeZone: string): { from?: Date; to?: Date } {
  const start = (day: string) => new Date(Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).epochMilliseconds);
  return {
    from: search.from ? start(search.from) : undefined,
    to: search.to
      ? new Date(Temporal.PlainDate.from(search.to).add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds)
      : undefined,
  };
}

/** The log's address for a filter, optionally from an older page on. */
export function auditHref(search: AuditSearch, before?: bigint) {
  const q = new URLSearchParams();
  for (const k of ["action", "actor", "subject", "from", "to"] as const) if (search[k]) q.set(k, search[k]);
  if (before !== undefined) q.set("before", String(before));
  const s = q.toString();
  return s ? `/admin/audit?${s}` : "/admin/audit";
}
