import { isJsonObject, type Json } from "../wire";

/**
 * Lenient readers for bodies the gateway does not model: a field of the wrong
 * type reads as absent, so one odd field from a client or a model server is
 * dropped instead of failing the whole translation.
 */

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function obj(v: unknown): Json {
  return isJsonObject(v) ? v : {};
}

/** The objects of a list; anything else in it (or a non-list) is skipped. */
export function objects(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

/** JSON text parsed, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Copies the listed fields that are present, leaving absent ones out rather than writing `undefined`. */
export function defined(fields: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}
