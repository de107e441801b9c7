import { env } from "../config/env";

/**
 * An absolute URL of this app, for addresses handed to others (the payment
 * processor's 3-D Secure return). NEXTAUTH_URL is the app's public address;
 * `npm start` always sets it.
 */
export function appUrl(path: string): string {
  return new URL(path, env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`).toString();
}

/** A same-site path to go back to after a round trip elsewhere; anything else falls back. */
export function safeNextPath(next: string | null | undefined, fallback: string): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : fallback;
}

/** Where the processor sends the browser back after 3-D Secure: /payments/return reads the outcome, then shows `next`. */
export function paymentReturnUrl(next: string): string {
  return appUrl(`/payments/return?next=${encodeURIComponent(next)}`);
}
