import type { Env } from "../config/env";
import { stripeSettings } from "../payments/stripe/settings";

/** What the page policy depends on, read from the settings (cspSettingsOf) so the builder stays pure. */
export type CspSettings = {
  /** `next dev`: React's dev tools evaluate code, so 'unsafe-eval' is allowed there and nowhere else. */
  dev: boolean;
  production: boolean;
  /** Real Stripe with a publishable key: Stripe.js and its frames run in our pages. */
  stripeJs: boolean;
  /** The local Stripe-compatible server's origin, when it is used: its 3-D Secure page is where a card form may go. */
  stripeLocalOrigin: string | null;
};

// Stripe's own list for Stripe.js and its Elements (docs.stripe.com/security/guide#content-security-policy).
const STRIPE_SCRIPTS = ["https://js.stripe.com", "https://*.js.stripe.com"];
const STRIPE_FRAMES = [...STRIPE_SCRIPTS, "https://hooks.stripe.com"];
const STRIPE_CONNECT = ["https://api.stripe.com", "https://maps.googleapis.com"];

export function cspSettingsOf(env: Env, nodeEnv: string | undefined): CspSettings {
  const stripe = stripeSettings(env);
  return {
    dev: nodeEnv === "development",
    production: env.APP_ENV === "production",
    stripeJs: stripe?.provider === "stripe" && Boolean(stripe.publishableKey),
    stripeLocalOrigin:
      stripe?.provider === "stripe-local" && env.STRIPE_LOCAL_URL ? new URL(env.STRIPE_LOCAL_URL).origin : null,
  };
}

/**
 * SEC-3: the pages' Content-Security-Policy. Scripts run only from our origin
 * with this request's nonce (Next puts it on its own scripts when it finds it
 * in the request's policy), and what those load ('strict-dynamic': Stripe.js
 * is loaded by our bundle). Styles allow inline ones: the charts (recharts)
 * and Stripe's Elements set style attributes, which no nonce can cover, and a
 * style cannot run code. No page may be framed, nor post a form elsewhere
 * than here and the payment processor's 3-D Secure pages.
 */
export function contentSecurityPolicy(nonce: string, s: CspSettings): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(s.stripeJs ? STRIPE_SCRIPTS : []),
      ...(s.dev ? ["'unsafe-eval'"] : []),
    ],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", ...(s.stripeJs ? ["https://*.stripe.com"] : [])],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...(s.stripeJs ? STRIPE_CONNECT : [])],
    "frame-src": s.stripeJs ? STRIPE_FRAMES : ["'none'"],
    "form-action": [
      "'self'",
      ...(s.stripeJs ? ["https://hooks.stripe.com"] : []),
      ...(s.stripeLocalOrigin ? [s.stripeLocalOrigin] : []),
    ],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    ...(s.production ? { "upgrade-insecure-requests": [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}

/** Every header a page answer carries besides its policy; HSTS only in production, where the app is served over HTTPS. */
export function pageSecurityHeaders(csp: string, s: CspSettings): Record<string, string> {
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    ...(s.production ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** A fresh nonce per request: 16 random bytes, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
