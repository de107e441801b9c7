import type { Tx } from "../db";
import { draftReplacement } from "./drafts";
import { classifyChange } from "./plan-change";
import { takeStockUnit } from "./stock";
import type { Catalog, Cycle, Tier } from "./types";

type Live = Parameters<typeof draftReplacement>[2];

/**
 * SUB-6: buying a plan while one is valid replaces it at once (SUB-4
 * arithmetic, in draftReplacement). Only an upgrade is exempt from today's
 * stock (SUB-8); the same tier, a lower one or another cycle takes a unit as a
 * new subscription does, given back if the purchase is never paid.
 */
export async function draftBuyAgain(
  tx: Tx,
  catalog: Catalog,
  sub: Live,
  input: { tier: Tier; cycle: Cycle; now: Date; idempotencyKey: string },
) {
  const draft = await draftReplacement(tx, catalog, sub, { ...input, lock: true });
  if (takesStock(sub, input)) await takeStockUnit(tx, input.tier, input.now, catalog.stock);
  return draft;
}

/** Whether a purchase replacing `current` with `target` is sold from the daily stock (everything but an upgrade). */
export const takesStock = (current: { tier: Tier; cycle: Cycle }, target: { tier: Tier; cycle: Cycle }) =>
  classifyChange(current, target) !== "upgrade";
