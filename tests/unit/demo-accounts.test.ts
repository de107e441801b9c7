import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNT_EMAILS, isDemoAccount } from "../../lib/auth/demo-accounts";
import { startMode } from "../../lib/config/start-mode";
import { demoSurfaceOpenTo } from "../../lib/http/demo-surface";
import { SEEDED_EMAILS } from "../../prisma/seed";

describe("demo only when asked (SEC-4)", () => {
  it("SEC-4: every account the demo seeds is a demo account, and no other", () => {
    expect(new Set(SEEDED_EMAILS)).toEqual(DEMO_ACCOUNT_EMAILS);
    expect(isDemoAccount(" Admin@CodePlan.local ")).toBe(true);
    expect(isDemoAccount("someone@example.com")).toBe(false);
  });

  it("SEC-4: a start with DATABASE_URL and no APP_ENV is refused with a message naming the choice", () => {
    const refused = startMode({ DATABASE_URL: "postgres://db/codeplan" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/APP_ENV=production.*APP_ENV=development/s);
    expect(startMode({ DATABASE_URL: "postgres://db/codeplan", APP_ENV: "production" })).toEqual({
      ok: true,
      demo: false,
    });
    expect(startMode({ DATABASE_URL: "postgres://db/codeplan", APP_ENV: "development" })).toEqual({
      ok: true,
      demo: true,
    });
    // The quick start: no database of the operator's, so the embedded one and the demo.
    expect(startMode({})).toEqual({ ok: true, demo: true });
    expect(startMode({ DATABASE_URL: "" })).toEqual({ ok: true, demo: true });
  });

  it("SEC-4: demo surfaces answer only on loopback, and never in production", () => {
    expect(demoSurfaceOpenTo("127.0.0.1", false)).toBe(true);
    expect(demoSurfaceOpenTo("::1", false)).toBe(true);
    expect(demoSurfaceOpenTo("203.0.113.7", false)).toBe(false);
    expect(demoSurfaceOpenTo("unknown", false)).toBe(false);
    expect(demoSurfaceOpenTo("127.0.0.1", true)).toBe(false);
  });
});
