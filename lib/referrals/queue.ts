import type { Db, Prisma } from "../db";
import { FRAUD_RULE_TYPES } from "./fraud/rules";

export const FLAG_STATES = ["open", "released", "rejected"] as const;
export type FlagFilter = { rule?: string; state?: (typeof FLAG_STATES)[number]; limit?: number };

/**
 * The admin review queue: flags newest first, each with the invitation's
 * evidence (both accounts, networks, devices, timings, amounts).
 */
export async function flagQueue(database: Db, filter: FlagFilter) {
  const where: Prisma.ReferralFlagWhereInput = {
    ...(filter.rule && FRAUD_RULE_TYPES.includes(filter.rule) && { rule: filter.rule }),
    ...(filter.state && { state: filter.state }),
  };
  return database.referralFlag.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit ?? 100,
    include: {
      referral: {
        include: {
          inviter: { select: { id: true, email: true, status: true } },
          friend: { select: { id: true, email: true, createdAt: true } },
          visit: { select: { at: true, via: true, ip: true, network: true, device: true, userAgent: true } },
        },
      },
    },
  });
}

export type QueueFlag = Awaited<ReturnType<typeof flagQueue>>[number];

/** Who decided the flags shown: their e-mails by admin id (a flag keeps only the id). */
export async function decidersOf(database: Db, flags: { decidedBy: string | null }[]): Promise<Record<string, string>> {
  const ids = [...new Set(flags.flatMap((f) => (f.decidedBy ? [f.decidedBy] : [])))];
  if (ids.length === 0) return {};
  const rows = await database.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  return Object.fromEntries(rows.map((r) => [r.id, r.email]));
}

/** How many flags wait for a decision (the admin home's count). */
export function openFlagCount(database: Db) {
  return database.referralFlag.count({ where: { state: "open" } });
}
