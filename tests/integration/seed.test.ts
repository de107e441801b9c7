import { describe, expect, it } from "vitest";
import { dailyRecords, packsOf } from "../../lib/api-billing";
import { verifyPassword } from "../../lib/auth/password";
import { DEMO_ADMIN, seedDemoData } from "../../prisma/seed";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

describe("demo data", () => {
  it("creates an admin and subscribers in both regions, and the README's admin password works", async () => {
    const now = new Date("2026-11-23T10:00:00Z");
    expect(await seedDemoData(t.db, now)).toEqual({ created: 6 });
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

  it("WALLET-2: the demo wallets come from an admin grant, and Alice's Pro subscription was paid from them once", async () => {
    const alice = await t.db.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
    const sub = await t.db.subscription.findFirstOrThrow({ where: { userId: alice.id } });
    expect([sub.tier, sub.cycle, sub.status]).toEqual(["pro", "monthly", "active"]);
    const invoices = await t.db.invoice.findMany({ where: { userId: alice.id }, orderBy: { number: "asc" } });
    // The subscription and the demo Starter pack, both from credits (WALLET-2).
    expect(invoices.map((i) => [i.kind, i.status, i.totalMinor])).toEqual([
      ["subscribe", "paid", 1500n],
      ["pack", "paid", 1000n],
    ]);
    const credits = await t.db.ledgerAccount.findFirstOrThrow({ where: { userId: alice.id, kind: "user_credits" } });
    expect(credits.balanceMinor).toBe(10_000n - 1500n - 1000n);
    const wang = await t.db.user.findUniqueOrThrow({ where: { email: "wang.fang@example.cn" } });
    const cny = await t.db.ledgerAccount.findFirstOrThrow({ where: { userId: wang.id, kind: "user_credits" } });
    expect([cny.currency, cny.balanceMinor]).toEqual(["CNY", 50_000n]);
  });

  it("POLICY-2: the demo has one open usage-policy violation, Bob's shared key, for the admin queue", async () => {
    const bob = await t.db.user.findUniqueOrThrow({ where: { email: "bob@example.com" } });
    const violations = await t.db.policyViolation.findMany({ where: { userId: bob.id } });
    expect(violations.map((v) => [v.rule, v.state])).toEqual([["key_sharing", "open"]]);
  });

  it("REF-1, REF-5: the demo has two friends invited through Alice's link; the throw-away address is flagged for review", async () => {
    const alice = await t.db.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
    const invitations = await t.db.referral.findMany({
      where: { inviterId: alice.id },
      include: { friend: true, flags: true },
      orderBy: { createdAt: "asc" },
    });
    expect(invitations.map((r) => [r.friend.email, r.state, r.flags.map((f) => f.rule)])).toEqual([
      ["carol@example.com", "signed_up", []],
      ["dave@mailinator.com", "signed_up", ["disposable_email"]],
    ]);
  });

  it("BILL-1, BILL-2, BILL-4: Alice has a paid Starter pack, and the calls it paid for the day before the seed are rolled up into daily records with their exact fees", async () => {
    const alice = await t.db.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
    const [pack] = await packsOf(t.db, alice.id, new Date("2026-11-23T10:00:00Z"));
    expect([pack.product, pack.state, pack.activatedAt?.toISOString(), pack.remainingMinor]).toEqual([
      "starter",
      "active",
      "2026-11-22T09:00:00.000Z",
      1000n - 49n,
    ]);
    const records = await dailyRecords(t.db, alice.id, { take: 10 });
    // Exact fees 11.52 + 4.58 (glm-4.7) and 33.6 (glm-5) cents accrue in order: 11 (0.52 carried), 5 (0.10), 33 (0.70).
    expect(
      records.map((r) => [
        r.day,
        r.model,
        r.source,
        r.pack?.product,
        r.calls,
        r.inputTokens,
        r.amountMinor,
        r.amountMicro,
      ]),
    ).toEqual([
      ["2026-11-22", "glm-4.7", "pack", "starter", 2, 275_000n, 16n, 16_100_000n],
      ["2026-11-22", "glm-5", "pack", "starter", 1, 240_000n, 33n, 33_600_000n],
    ]);
    const packs = await t.db.ledgerAccount.findFirstOrThrow({ where: { userId: alice.id, kind: "user_packs" } });
    expect(packs.balanceMinor).toBe(1000n - 49n);
  });
});
