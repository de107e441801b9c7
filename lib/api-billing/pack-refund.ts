import type { Tx } from "../db";
import { lockPaygBalances } from "./balance-lock";

/**
 * A resource pack is refunded out of what it still holds (REFUND-1 with
 * BILL-3): what was spent on calls cannot be given back. Under the user's
 * pay-as-you-go lock (the one api_reserve and settleCalls take), so a refund
 * and a call never both spend the same remainder.
 */
export async function packLeftForRefund(tx: Tx, invoiceId: string): Promise<{ id: string; leftMinor: bigint } | null> {
  const [pack] = await tx.$queryRaw<{ id: string; user_id: string; currency: string }[]>`
    SELECT "id"::text, "user_id"::text, "currency" FROM "resource_packs" WHERE "invoice_id" = ${invoiceId}::uuid`;
  if (!pack) return null;
  await lockPaygBalances(tx, [{ userId: pack.user_id, currency: pack.currency }]);
  const [row] = await tx.$queryRaw<{ left: bigint }[]>`
    SELECT CASE WHEN "closed_at" IS NULL THEN "remaining_minor" ELSE 0 END AS "left" FROM "resource_packs" WHERE "id" = ${pack.id}::uuid FOR UPDATE`;
  return { id: pack.id, leftMinor: BigInt(row.left) };
}

/** Takes a refunded amount out of the pack (a negative amount puts it back, when the processor refused the refund). */
export async function takeFromPack(tx: Tx, packId: string, amountMinor: bigint) {
  await tx.$executeRaw`UPDATE "resource_packs" SET "remaining_minor" = "remaining_minor" - ${amountMinor} WHERE "id" = ${packId}::uuid`;
}
