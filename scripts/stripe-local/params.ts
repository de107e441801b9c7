import { invalidParam, missingParam } from "./api-error";
import type { FormObject, FormValue } from "./form-body";

/**
 * Readers for form parameters. Each throws Stripe's 400 (with `param`) on a
 * malformed value, so handlers read everything before they change any state.
 * Unknown parameters are ignored rather than refused: the app may send
 * options this server has no reason to model.
 */

function show(v: FormValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function optString(p: FormObject, name: string): string | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw invalidParam(name, `Invalid string: ${show(v)}`);
  return v;
}

export function reqString(p: FormObject, name: string): string {
  const v = optString(p, name);
  if (v === undefined || v === "") throw missingParam(name);
  return v;
}

export function optEnum<T extends string>(p: FormObject, name: string, values: readonly T[]): T | undefined {
  const v = optString(p, name);
  if (v === undefined || v === "") return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw invalidParam(name, `Invalid ${name}: must be one of ${values.join(", ")}`);
  }
  return v as T;
}

export function optInt(p: FormObject, name: string): number | undefined {
  const v = optString(p, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw invalidParam(name, `Invalid integer: ${v}`);
  return Number(v);
}

/** An amount in the currency's smallest unit: a positive integer. */
export function optAmount(p: FormObject, name: string): number | undefined {
  const v = optInt(p, name);
  if (v !== undefined && v < 1)
    throw invalidParam(name, "This value must be greater than or equal to 1.", "parameter_invalid_integer");
  return v;
}

export function optBool(p: FormObject, name: string): boolean | undefined {
  const v = optString(p, name);
  if (v === undefined || v === "") return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw invalidParam(name, `Invalid boolean: ${v}`);
}

/** `x[0]=a&x[1]=b` (or `x[]=…`) as a list, in index order. */
export function optList(p: FormObject, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (typeof v === "string") {
    if (v === "") return [];
    throw invalidParam(name, `Invalid array`);
  }
  return Object.keys(v)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => {
      const item = v[k];
      if (typeof item !== "string") throw invalidParam(`${name}[${k}]`, `Invalid string: ${show(item)}`);
      return item;
    });
}

export function optObject(p: FormObject, name: string): FormObject | undefined {
  const v = p[name];
  if (v === undefined || v === "") return undefined;
  if (typeof v === "string") throw invalidParam(name, `Invalid object`);
  return v;
}

/**
 * A metadata update: `metadata[k]=v` sets, `metadata[k]=` removes a key, and
 * `metadata=` removes them all (Stripe's rules). Returns null for "clear all".
 */
export function optMetadata(p: FormObject, name = "metadata"): Record<string, string> | null | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === "") return null;
  if (typeof v === "string") throw invalidParam(name, `Invalid object`);
  const out: Record<string, string> = {};
  for (const [k, item] of Object.entries(v)) {
    if (typeof item !== "string") throw invalidParam(`${name}[${k}]`, `Invalid string: ${show(item)}`);
    if (k.length > 40) throw invalidParam(`${name}[${k}]`, "Metadata keys can have up to 40 characters.");
    if (item.length > 500) throw invalidParam(`${name}[${k}]`, "Metadata values can have up to 500 characters.");
    out[k] = item;
  }
  return out;
}

export function applyMetadata(
  current: Record<string, string>,
  update: Record<string, string> | null | undefined,
): Record<string, string> {
  if (update === undefined) return current;
  if (update === null) return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(update)) {
    if (v === "") delete next[k];
    else next[k] = v;
  }
  return next;
}

/** A return_url must be an absolute URL, as Stripe requires. */
export function optUrl(p: FormObject, name: string): string | undefined {
  const v = optString(p, name);
  if (v === undefined || v === "") return undefined;
  try {
    new URL(v);
  } catch {
    throw invalidParam(name, "Not a valid URL", "url_invalid");
  }
  return v;
}

/**
 * The payment method types an intent allows: `allowed_payment_method_types`
 * (this API version's name) or the older `payment_method_types`; null when
 * neither is given (Stripe then defaults to cards here).
 */
export function readPaymentMethodTypes(p: FormObject): string[] | null {
  return optList(p, "allowed_payment_method_types") ?? optList(p, "payment_method_types") ?? null;
}

/** The `expand[]` paths of a request. */
export function expandPaths(p: FormObject): string[] {
  return optList(p, "expand") ?? [];
}
