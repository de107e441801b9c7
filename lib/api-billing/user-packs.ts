import type { Db } from "../db";

/**
 * Where a pack stands for its owner. `unpaid`: its invoice was never paid and
 * is void, so it never held anything; `closed`: taken out of use before its
 * expiry (a refund).
 */
export type PackState = "awaiting_payment" | "active" | "used_up" | "expired" | "unpaid" | "closed";

export type PackFacts = {
  activatedAt: Date | null;
  expiresAt: Date | null;
  closedAt: Date | null;
  remainingMinor: bigint;
};

/**
 * Pure. Expiry is read from `expiresAt`, not only from `closedAt`: the sweep
 * closes an expired pack a moment later, and the screen should not call it
 * active meanwhile (settlement does not spend it either).
 */
export function packState(p: PackFacts, now: Date): PackState {
  if (!p.activatedAt) return p.closedAt ? "unpaid" : "awaiting_payment";
  if (p.expiresAt && p.expiresAt.getTime() <= now.getTime()) return "expired";
  if (p.closedAt) return "closed";
  return p.remainingMinor > 0n ? "active" : "used_up";
}

export type UserPack = PackFacts & {
  id: string;
  product: string;
  currency: string;
  priceMinor: bigint;
  valueMinor: bigint;
  validDays: number;
  createdAt: Date;
  state: PackState;
};

/** A user's packs for the wallet, newest first, each with its state at `now`. */
export async function packsOf(database: Db, userId: string, now: Date, take = 50): Promise<UserPack[]> {
  const rows = await database.resourcePack.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take,
  });
  return rows.map((p) => ({
    id: p.id,
    product: p.product,
    currency: p.currency,
    priceMinor: p.priceMinor,
    valueMinor: p.valueMinor,
    remainingMinor: p.remainingMinor,
    validDays: p.validDays,
    activatedAt: p.activatedAt,
    expiresAt: p.expiresAt,
    closedAt: p.closedAt,
    createdAt: p.createdAt,
    state: packState(p, now),
  }));
}
