import { isWalletMethod, type PayMethod } from "../payments/port";
import { readCatalogFile } from "./catalog-file";
import type { BillingDeps } from "./deps";
import { BillingError } from "./errors";
import type { RegionId } from "./types";

// Read once per process, like the rest of the catalog file: a change needs a restart.
let cache: Record<RegionId, PayMethod[]> | undefined;

/** PAY-3: the ways buyers of a region may pay (the catalog's `regions.<id>.paymentMethods`; the card alone by default). */
export function payMethodsOf(region: RegionId): PayMethod[] {
  cache ??= Object.fromEntries(
    Object.entries(readCatalogFile().regions).map(([id, r]) => [id, r.paymentMethods]),
  ) as Record<RegionId, PayMethod[]>;
  return cache[region];
}

/**
 * Whether the part the wallet does not cover can be paid this way: a saved
 * card for the card, or a wallet the region offers (paid there and then, so
 * nothing needs to be saved). A wallet the region does not offer is refused.
 */
export async function canPayWith(
  deps: Pick<BillingDeps, "port">,
  userId: string,
  region: RegionId,
  method: PayMethod = "card",
): Promise<boolean> {
  if (!payMethodsOf(region).includes(method)) throw new BillingError("method_unavailable");
  if (isWalletMethod(method)) return deps.port.name !== "none";
  return deps.port.canCharge(userId);
}
