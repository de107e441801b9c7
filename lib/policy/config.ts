import { readCatalogFile, type CatalogFile } from "../billing/catalog-file";

export type PolicySettings = CatalogFile["policy"];

let cached: PolicySettings | undefined;

/** The usage policy's thresholds from prisma/catalog.json (POLICY-1..3), read once per process. */
export function policySettings(): PolicySettings {
  cached ??= readCatalogFile().policy;
  return cached;
}
