import { isWalletMethod, type PayMethod, type RecurringWallet } from "../payments/port";
import { readCatalogFile } from "./catalog-file";
import type { BillingDeps } from "./deps";
import { BillingError } from "./errors";
import type { RegionId } from "./types";

type RegionMethods = { paymentMethods: PayMethod[]; recurringWallets: RecurringWallet[] };

// Read once per process, like the rest of the catalog file: a change needs a restart.
let cache: Record<RegionId, RegionMethods> | undefined;
const methodsOf = (region: RegionId) => (cache ??= readCatalogFile().regions)[region];

/** PAY-3: the ways buyers of a region may pay (the catalog's `regions.<id>.paymentMethods`; the card alone by default). */
export const payMethodsOf = (region: RegionId): PayMethod[] => methodsOf(region).paymentMethods;

/** PAY-3: the wallets buyers of a region may save for renewals (`regions.<id>.recurringWallets`; none by default). */
export const recurringWalletsOf = (region: RegionId): RecurringWallet[] => methodsOf(region).recurringWallets;

/**
 * Whether the part the wallet does not cover can be paid this way: the saved
 * method for the card, or a wallet the region offers (paid there and then, so
 * nothing needs to be saved). A wallet the region does not offer is refused,
 * and so is saving one for renewals where the region does not allow it.
 */
export async function canPayWith(
  deps: Pick<BillingDeps, "port">,
  userId: string,
  region: RegionId,
  method: PayMethod = "card",
  saveForRenewals = false,
): Promise<boolean> {
  if (!payMethodsOf(region).includes(method)) throw new BillingError("method_unavailable");
  if (saveForRenewals && !recurringWalletsOf(region).some((w) => w === method))
    throw new BillingError("recurring_unavailable");
  if (isWalletMethod(method)) return deps.port.name !== "none";
  return deps.port.canCharge(userId);
}
