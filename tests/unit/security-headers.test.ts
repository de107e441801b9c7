import { describe, expect, it } from "vitest";
import { parseEnv } from "../../lib/config/env";
import {
  contentSecurityPolicy,
  cspSettingsOf,
  newNonce,
  pageSecurityHeaders,
  type CspSettings,
} from "../../lib/http/security-headers";

const base: CspSettings = { dev: false, production: false, stripeJs: false, stripeLocalOrigin: null };
const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";

describe("SEC-3: the pages' content security policy", () => {
  it("SEC-3: scripts only with this request's nonce, no framing, no plugins, no foreign base or forms", () => {
    const csp = contentSecurityPolicy("abc123", base);
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "frame-src")).toBe("frame-src 'none'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(directive(csp, "base-uri")).toBe("base-uri 'self'");
    expect(directive(csp, "form-action")).toBe("form-action 'self'");
    expect(csp).not.toContain("stripe");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("SEC-3: Stripe's script, frames and API only with real Stripe keys; the local server's origin only for its 3-D Secure forms", () => {
    const real = cspSettingsOf(
      parseEnv({
        STRIPE_SECRET_KEY: "sk_test_x",
        STRIPE_WEBHOOK_SECRET: "whsec_x",
        STRIPE_PUBLISHABLE_KEY: "pk_test_x",
      }),
      "production",
    );
    expect(real).toMatchObject({ stripeJs: true, stripeLocalOrigin: null });
    const csp = contentSecurityPolicy("n", real);
    expect(directive(csp, "script-src")).toContain("https://js.stripe.com");
    expect(directive(csp, "frame-src")).toContain("https://hooks.stripe.com");
    expect(directive(csp, "connect-src")).toContain("https://api.stripe.com");
    const noKeys = cspSettingsOf(parseEnv({}), "production");
    expect(noKeys).toMatchObject({ stripeJs: false, stripeLocalOrigin: null });
    const local = cspSettingsOf(
      parseEnv({ STRIPE_LOCAL_URL: "http://localhost:12111", STRIPE_WEBHOOK_SECRET: "whsec_x" }),
      "production",
    );
    expect(local).toMatchObject({ stripeJs: false, stripeLocalOrigin: "http://localhost:12111" });
    expect(directive(contentSecurityPolicy("n", local), "form-action")).toBe(
      "form-action 'self' http://localhost:12111",
    );
    expect(contentSecurityPolicy("n", local)).not.toContain("js.stripe.com");
  });

  it("SEC-3: 'unsafe-eval' only under next dev; HSTS and upgrade-insecure-requests only in production", () => {
    expect(cspSettingsOf(parseEnv({}), "development").dev).toBe(true);
    expect(directive(contentSecurityPolicy("n", { ...base, dev: true }), "script-src")).toContain("'unsafe-eval'");
    expect(pageSecurityHeaders("x", base)["strict-transport-security"]).toBeUndefined();
    const prod = { ...base, production: true };
    expect(pageSecurityHeaders("x", prod)["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(contentSecurityPolicy("n", prod)).toContain("upgrade-insecure-requests");
    expect(pageSecurityHeaders("x", base)).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
    });
  });

  it("SEC-3: every nonce is fresh and long enough not to be guessed", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
