import { env } from "../config/env";

/**
 * An absolute URL of this app, for addresses handed to others (the payment
 * processor's 3-D Secure return). NEXTAUTH_URL is the app's public address;
 * `npm start` always sets it.
 */
export function appUrl(path: string): string {
  return new URL(path, appOrigin()).toString();
}

/** This app's own origin (scheme, host and port): what redirects are judged against (safe-redirect.ts). */
export function appOrigin(): string {
  return new URL(env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`).origin;
}

/** Where the processor sends the browser back after 3-D Secure: /payments/return reads the outcome, then shows `next`. */
export function paymentReturnUrl(next: string): string {
  return appUrl(`/payments/return?next=${encodeURIComponent(next)}`);
}
