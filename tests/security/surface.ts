import { randomUUID } from "node:crypto";
import type { Victims } from "./fixtures";

/**
 * Routes and pages anyone may use, with why. Everything else found under
 * app/ must refuse a visitor without a session or key, so a new route that
 * forgets its check fails the sweep until it checks or is listed here.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  "/api/health": "liveness probe",
  "/api/auth/[...nextauth]": "next-auth's own sign-in endpoints (session, csrf, providers, callbacks)",
  "/r/[code]": "invite links are for visitors (REF-1)",
};
export const PUBLIC_PAGES: Record<string, string> = {
  "/": "landing page",
  "/pricing": "plans and stock",
  "/sign-in": "sign-in",
  "/sign-in/check-email": "told to read their mail after sign-up",
  "/sign-up": "sign-up",
};

export const pattern = (segments: string[]) => "/" + segments.join("/");
export const isAdmin = (segments: string[]) => segments[0] === "admin";

/**
 * The value for a dynamic segment: another user's record where the segment
 * names one, so a signed-in attacker's request is a cross-user one. A new
 * parameter name stops the sweep here until it is given a value.
 */
export function fillParam(victims: Victims, segments: string[], index: number, param: string): string {
  const before = segments[index - 1];
  switch (param) {
    case "id":
      if (before === "invoices") return victims.invoiceId;
      if (before === "customers") return victims.userId;
      if (before === "credit-notes") return victims.creditNoteId;
      break;
    case "creditNoteId":
      return victims.creditNoteId;
    case "invoiceId":
      return victims.invoiceId;
    case "code":
      return victims.referralCode;
    case "path":
      return "sweep/probe";
    case "op":
      return "consume";
    case "nextauth":
      return "session";
  }
  throw new Error(`security sweep: no value for [${param}] after "${before}" (tests/security/surface.ts fillParam)`);
}

/** Form fields naming only other people's records: refused unless an action lets one user reach another's. */
export function crossUserFields(v: Victims): [string, string][] {
  return [
    ["keyId", v.keyId],
    ["violationId", v.violationId],
    ["userId", v.userId],
    ["paymentId", v.paymentId],
    ["invoiceId", v.invoiceId],
    ["subscriptionId", v.subscriptionId],
    ["referralIds", v.referralId],
  ];
}

/**
 * A complete, valid-looking form for the admin actions (grant 1.00, refund,
 * uphold, release, move the clock an hour): only the role check stands
 * between it and a change, which the fingerprint would show.
 */
export function adminFields(v: Victims): [string, string][] {
  return [
    ...crossUserFields(v),
    ["amount", "1.00"],
    ["reason", "security sweep: must be refused"],
    ["requestId", randomUUID()],
    ["direction", "add"],
    ["decision", "reverse"],
    ["action", "release"],
    ["by", "3600000"],
    ["back", "queue"],
  ];
}

/** Everything a signed-in user's forms take, valid: for the anonymous call, where only the session check stands in the way. */
export function anonymousFields(v: Victims): [string, string][] {
  return [
    ...adminFields(v),
    ["name", "security sweep"],
    ["tier", "lite"],
    ["cycle", "monthly"],
    ["email", "sweep.probe@example.com"],
    ["note", "security sweep"],
    ["code", v.referralCode],
    ["productId", "pack"],
  ];
}

/** Odd form input: values far past any field's limit, prototype-polluting names, wrong shapes. Stays under Next's 1 MB action body limit. */
export function malformedFields(v: Victims): [string, string][] {
  const huge = "9".repeat(200_000);
  return [
    ["keyId", huge],
    ["violationId", "' OR 1=1 --"],
    ["amount", huge],
    ["__proto__", '{"role":"admin"}'],
    ["constructor", "prototype"],
    ["requestId", "not-a-uuid"],
    ["referralIds", v.referralId],
    ["referralIds", "[]"],
    ["name", "\u0000\ud800"],
  ];
}

/** JSON bodies for the POST routes: none is a valid request, whatever the route. */
export function malformedJsonBodies(): [string, string][] {
  return [
    ["bad-json", '{"model": "glm-4.7", "messages": ['],
    ["wrong-types", JSON.stringify({ model: 42, messages: "hi", stream: "yes", max_tokens: -1 })],
    [
      "proto-keys",
      '{"__proto__": {"role": "admin", "isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}, "model": {"__proto__": null}}',
    ],
    ["huge-string", JSON.stringify({ model: "m".repeat(2_000_000), messages: 5 })],
  ];
}

/** The attacker appears to come from elsewhere, as the operator's proxy reports it (TRUSTED_PROXY_HOPS=1 in e2e): demo surfaces must not answer (SEC-4). */
export const REMOTE = { "x-forwarded-for": "203.0.113.7" };
