"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { appClock } from "@/lib/clock";
import { action, fromForm, type Refusal } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { fieldErrorsOf } from "@/lib/http/action-result";
import { getTimeZone } from "next-intl/server";
import { env } from "@/lib/config/env";
import type { DomainError } from "@/lib/errors/domain-error";
import { KEY_NAME_MAX, KEY_PURPOSES, keyTermsInput, termsOf } from "@/lib/quota";
import { accountCurrencyFor, createKeyFor, revokeKeyFor, setKeyTermsFor } from "@/lib/quota/face";

// The domain trims and checks the name again; this only answers early, next to the field.
const create = z.object({
  name: z.string().trim().min(1, "key_name_invalid").max(KEY_NAME_MAX, "key_name_invalid"),
  purpose: z.enum(KEY_PURPOSES, "key_purpose_invalid"),
});
const revoke = z.object({ keyId: z.uuid("key_not_found") });

/** A name or purpose the domain refuses is shown next to its field; the rest (not found, too many) as an alert. */
function keyRefusal(e: DomainError): Refusal | null {
  return e.code === "key_name_invalid" || e.code === "key_purpose_invalid"
    ? {
        ok: false,
        error: "invalid_input",
        fieldErrors: { [e.code === "key_name_invalid" ? "name" : "purpose"]: e.code },
      }
    : null;
}

/**
 * Creates a key. The secret goes back in the action's answer only, to the
 * one browser tab that asked: never into the URL, a cookie or the page the
 * server renders, so a reload cannot show it again.
 */
export const createKeyAction = action(
  create,
  async ({ name, purpose }, { user }): Promise<ActionResult<{ name: string; secret: string }>> => {
    const both = env().API_KEY_PURPOSE_BOTH === "1";
    const { key, secret } = await createKeyFor(user.id, name, await appClock().now(), purpose, both);
    revalidatePath("/keys");
    return { ok: true, name: key.name, secret };
  },
  {
    read: fromForm((form) => ({ name: form.get("name") ?? "", purpose: form.get("purpose") ?? "coding" })),
    refused: keyRefusal,
  },
);

/** Revokes one of the user's keys; the gateway refuses it from that moment (see lib/quota/keys). */
export const revokeKeyAction = action(
  revoke,
  async ({ keyId }, { user }): Promise<ActionResult> => {
    await revokeKeyFor(user.id, keyId, await appClock().now());
    revalidatePath("/keys");
    return { ok: true };
  },
  {
    read: fromForm((form) => ({ keyId: form.get("keyId") })),
    invalid: () => ({ ok: false, error: "key_not_found" }),
    refused: keyRefusal,
  },
);

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/**
 * KEY-1: sets or clears a key's own limits and expiry. Bad input answers a
 * field error and changes nothing; someone else's or a revoked key is "not found".
 */
export const setKeyTermsAction = action(
  keyTermsInput,
  async (input, { user }): Promise<ActionResult> => {
    const now = await appClock().now();
    const terms = termsOf(input, await accountCurrencyFor(user.id), await getTimeZone(), now);
    if ("field" in terms) return { ok: false, error: "invalid_input", fieldErrors: { [terms.field]: terms.error } };
    await setKeyTermsFor(user.id, input.keyId, terms, now);
    revalidatePath("/keys");
    return { ok: true };
  },
  {
    read: fromForm((form) => ({
      keyId: form.get("keyId"),
      limit5h: field(form, "limit5h"),
      limitWeek: field(form, "limitWeek"),
      dailyCap: field(form, "dailyCap"),
      expiresOn: field(form, "expiresOn"),
    })),
    invalid: (error) => {
      const fieldErrors = fieldErrorsOf(error);
      return fieldErrors.keyId
        ? { ok: false, error: "key_not_found" }
        : { ok: false, error: "invalid_input", fieldErrors };
    },
    refused: keyRefusal,
  },
);
