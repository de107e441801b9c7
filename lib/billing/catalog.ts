import type { Catalog, Cycle, PlanVersion, RegionId, RegionRules, Tier } from "./types";

/** Tier order (PLAN-1): Lite < Pro < Max. */
export const TIER_RANK: Record<Tier, number> = { lite: 0, pro: 1, max: 2 };

/** Not a DomainError: an unknown plan version or a missing price is a fault in the catalog, not the user's request. */
export class CatalogError extends Error {}

export function regionRules(catalog: Catalog, region: RegionId): RegionRules {
  return catalog.regions[region];
}

export function versionById(catalog: Catalog, id: string): PlanVersion {
  const v = catalog.versions.find((x) => x.id === id);
  if (!v) throw new CatalogError(`unknown plan version ${id}`);
  return v;
}

/** The version of a tier that is on sale to new subscribers. */
export function currentVersion(catalog: Catalog, tier: Tier): PlanVersion {
  const v = catalog.versions.find((x) => x.tier === tier && x.current);
  if (!v) throw new CatalogError(`no current version for ${tier}`);
  return v;
}

export function priceOf(version: PlanVersion, cycle: Cycle, currency: string): bigint {
  const p = version.prices[currency]?.[cycle];
  if (p === undefined) throw new CatalogError(`no ${currency} ${cycle} price for ${version.tier} v${version.version}`);
  return p;
}
