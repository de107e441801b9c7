import type { z } from "zod";

/**
 * What every server action answers (DESIGN.md, convention 5). `error` and the
 * field errors are i18n keys under `errors.*`, never raw messages.
 */
export type ActionResult<T = object> =
  | ({ ok: true } & T)
  | { ok: false; error: string; fieldErrors?: Record<string, string>; params?: Record<string, string> };

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "_");
    // zod's own messages (wrong type…) are not keys; fall back to a generic one.
    out[key] ??= /^[a-z_]+$/.test(issue.message) ? issue.message : "invalid_input";
  }
  return out;
}
