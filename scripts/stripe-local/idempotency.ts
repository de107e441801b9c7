import { createHash } from "node:crypto";
import { ApiError } from "./api-error";
import type { FormValue } from "./form-body";
import type { IdempotencyRecord, State } from "./state";

// Stripe keeps keys for at least 24 hours.
const KEEP_MS = 24 * 60 * 60 * 1000;

/** Key order must not matter: the SDK's retry sends the same params, but a client may order them differently. */
function canonical(v: FormValue): string {
  if (typeof v === "string") return JSON.stringify(v);
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
    .join(",")}}`;
}

export function paramsHash(params: FormValue): string {
  return createHash("sha256").update(canonical(params)).digest("hex");
}

/**
 * The saved answer to replay for this key, or null for a new key. Throws
 * Stripe's idempotency_error when the key was used with other parameters or
 * on another endpoint.
 */
export function findReplay(
  state: State,
  key: string,
  method: string,
  path: string,
  hash: string,
): IdempotencyRecord | null {
  const saved = state.idempotency[key];
  if (!saved || Date.now() - saved.createdAt > KEEP_MS) return null;
  if (saved.method !== method || saved.path !== path) {
    throw new ApiError(400, {
      type: "idempotency_error",
      message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.method} ${saved.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
    });
  }
  if (saved.paramsHash !== hash) {
    throw new ApiError(400, {
      type: "idempotency_error",
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    });
  }
  return saved;
}

export function saveReplay(state: State, key: string, record: IdempotencyRecord): void {
  for (const [k, r] of Object.entries(state.idempotency))
    if (record.createdAt - r.createdAt > KEEP_MS) delete state.idempotency[k];
  state.idempotency[key] = record;
}
