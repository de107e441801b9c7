"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { fieldErrorsOf, type ActionResult } from "@/lib/http/action-result";
import { getTimeZone } from "next-intl/server";
import { env } from "@/lib/config/env";
import {
  accountCurrency,
  createKey,
  KEY_NAME_MAX,
  KEY_PURPOSES,
  KeyError,
  keyTermsInput,
  MAX_LIVE_KEYS,
  revokeKey,
  setKeyTerms,
  termsOf,
} from "@/lib/quota";

// The domain trims and checks the name again; this only answers early, next to the field.
const create = z.object({
  name: z.string().trim().min(1, "key_name_invalid").max(KEY_NAME_MAX, "key_name_invalid"),
  purpose: z.enum(KEY_PURPOSES, "key_purpose_invalid"),
});
const revoke = z.object({ keyId: z.uuid("key_not_found") });

/** A refusal from lib/quota/keys as a typed result; anything else is a bug for the error page. */
async function asKeyResult<T extends object>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, ...(await run()) };
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    if (e.code === "key_name_invalid") return { ok: false, error: "invalid_input", fieldErrors: { name: e.code } };
    if (e.code === "key_purpose_invalid")
      return { ok: false, error: "invalid_input", fieldErrors: { purpose: e.code } };
    return {
      ok: false,
      error: e.code,
      params: e.code === "too_many_keys" ? { max: String(MAX_LIVE_KEYS) } : undefined,
    };
  }
}

/**
 * Creates a key. The secret goes back in the action's answer only, to the
 * one browser tab that asked: never into the URL, a cookie or the page the
 * server renders, so a reload cannot show it again.
 */
export async function createKeyAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ name: string; secret: string }>> {
  const user = await requireUser();
  // The type is the browser's promise only: a hand-made call can pass anything, which is bad input, not a 500.
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = create.safeParse({ name: form.get("name") ?? "", purpose: form.get("purpose") ?? "coding" });
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await asKeyResult(async () => {
    const both = env().API_KEY_PURPOSE_BOTH === "1";
    const { key, secret } = await createKey(
      db(),
      user.id,
      parsed.data.name,
      await appClock().now(),
      parsed.data.purpose,
      both,
    );
    return { name: key.name, secret };
  });
  if (result.ok) revalidatePath("/keys");
  return result;
}

/** Revokes one of the user's keys; the gateway refuses it from that moment (see lib/quota/keys). */
export async function revokeKeyAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = revoke.safeParse({ keyId: form.get("keyId") });
  if (!parsed.success) return { ok: false, error: "key_not_found" };
  const result = await asKeyResult(async () => {
    await revokeKey(db(), user.id, parsed.data.keyId, await appClock().now());
    return {};
  });
  if (result.ok) revalidatePath("/keys");
  return result;
}

/**
 * KEY-1: sets or clears a key's own limits and expiry. Bad input answers a
 * field error and changes nothing; someone else's or a revoked key is "not found".
 */
export async function setKeyTermsAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const parsed = keyTermsInput.safeParse({
    keyId: form.get("keyId"),
    limit5h: field("limit5h"),
    limitWeek: field("limitWeek"),
    dailyCap: field("dailyCap"),
    expiresOn: field("expiresOn"),
  });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return fieldErrors.keyId
      ? { ok: false, error: "key_not_found" }
      : { ok: false, error: "invalid_input", fieldErrors };
  }
  const now = await appClock().now();
  const terms = termsOf(parsed.data, await accountCurrency(db(), user.id), await getTimeZone(), now);
  if ("field" in terms) return { ok: false, error: "invalid_input", fieldErrors: { [terms.field]: terms.error } };
  const result = await asKeyResult(async () => {
    await setKeyTerms(db(), user.id, parsed.data.keyId, terms, now);
    return {};
  });
  if (result.ok) revalidatePath("/keys");
  return result;
}
