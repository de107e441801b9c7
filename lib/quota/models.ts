import { readCatalogFile, type CatalogFile } from "../billing/catalog-file";
import type { Tier } from "../db";

export type ModelRules = CatalogFile["models"];
export type ModelEntry = ModelRules["list"][number];

let cached: ModelRules | undefined;

/** The model rules of prisma/catalog.json (QUOTA-4..6), read once per process. */
export function modelRules(): ModelRules {
  cached ??= readCatalogFile().models;
  return cached;
}

/** Clients send "GLM-4.7" as often as "glm-4.7": ids match case-insensitively. */
export function findModel(rules: ModelRules, id: string): ModelEntry | undefined {
  const wanted = id.trim().toLowerCase();
  return rules.list.find((m) => m.id === wanted);
}

/** QUOTA-5: may this tier call this model? */
export function tierMayUse(model: ModelEntry, tier: Tier): boolean {
  return model.tiers.includes(tier);
}

/** The models a tier may call, in catalog order (GET /models). */
export function modelsForTier(rules: ModelRules, tier: Tier): ModelEntry[] {
  return rules.list.filter((m) => tierMayUse(m, tier));
}
