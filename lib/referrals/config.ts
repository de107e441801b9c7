import { readCatalogFile, type CatalogFile } from "../billing/catalog-file";

export type ReferralRules = CatalogFile["referrals"];

let cached: ReferralRules | undefined;

/** The referral programme's figures from prisma/catalog.json (REF-2..5 and fraud thresholds), read once per process. */
export function referralRules(): ReferralRules {
  cached ??= readCatalogFile().referrals;
  return cached;
}
