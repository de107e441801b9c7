import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../lib/auth/password";
import { DEMO_ADMIN, seedDemoData } from "../../prisma/seed";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

describe("demo data", () => {
  it("creates an admin and subscribers in both regions, and the README's admin password works", async () => {
    const now = new Date("2026-11-23T10:00:00Z");
    expect(await seedDemoData(t.db, now)).toEqual({ created: 4 });
    const admin = await t.db.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN.email } });
    expect(admin.role).toBe("admin");
    expect(await verifyPassword(admin.passwordHash, DEMO_ADMIN.password)).toBe(true);
    const regions = await t.db.user.findMany({ where: { role: "subscriber" }, select: { region: true } });
    expect(new Set(regions.map((r) => r.region))).toEqual(new Set(["intl", "cn"]));
  });

  it("is idempotent: seeding again, even twice at once, creates nothing and keeps the same accounts", async () => {
    const before = await t.db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true } });
    const results = await Promise.all([seedDemoData(t.db, new Date()), seedDemoData(t.db, new Date())]);
    expect(results).toEqual([{ created: 0 }, { created: 0 }]);
    expect(await t.db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true } })).toEqual(before);
  });
});
