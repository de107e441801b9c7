import { hashPassword } from "../lib/auth/password";
import type { Db } from "../lib/db";
import { recordAudit } from "../lib/audit/record";
import { subscribe } from "../lib/billing/subscribe";
import { grantCredits } from "../lib/ledger/grants";
import { noProcessor } from "../lib/payments/no-processor";
import { attributeFromVisit, recordVisit, referralCodeOf, sightingOf } from "../lib/referrals";
import { recordViolation } from "../lib/policy/violations";
import { createKey } from "../lib/quota";
import { seedDemoApiUse } from "./seed-api";

/** The demo admin's sign-in; printed by `npm start` and shown in the README. */
export const DEMO_ADMIN = { email: "admin@codeplan.local", password: "codeplan-admin" } as const;
export const DEMO_PASSWORD = "codeplan-demo";

const SUBSCRIBERS = [
  { email: "alice@example.com", name: "Alice Martin", locale: "en", region: "intl", status: "active" },
  { email: "wang.fang@example.cn", name: "王芳", locale: "zh-CN", region: "cn", status: "active" },
  { email: "bob@example.com", name: "Bob Keller", locale: "en", region: "intl", status: "restricted" },
] as const;

/**
 * Creates the demo admin and subscribers when they are missing. Idempotent:
 * existing accounts (and any password changed since) are left as they are.
 */
export async function seedDemoData(database: Db, now: Date): Promise<{ created: number }> {
  const people = [
    {
      email: DEMO_ADMIN.email,
      name: "Demo Admin",
      locale: "en",
      region: "intl",
      status: "active",
      role: "admin",
      password: DEMO_ADMIN.password,
    },
    ...SUBSCRIBERS.map((s) => ({ ...s, role: "subscriber" as const, password: DEMO_PASSWORD })),
  ] as const;
  let created = 0;
  for (const p of people) {
    if (await database.user.findUnique({ where: { email: p.email }, select: { id: true } })) continue;
    const passwordHash = await hashPassword(p.password);
    // createMany + skipDuplicates: two starts racing on an empty database still create one row.
    const result = await database.user.createMany({
      data: [
        {
          email: p.email,
          name: p.name,
          locale: p.locale,
          region: p.region,
          status: p.status,
          role: p.role,
          passwordHash,
          emailVerified: now,
          createdAt: now,
          updatedAt: now,
        },
      ],
      skipDuplicates: true,
    });
    if (result.count === 0) continue;
    created += 1;
    const user = await database.user.findUniqueOrThrow({ where: { email: p.email } });
    await recordAudit(database, {
      actorId: null,
      action: "demo.seed_user",
      subjectType: "user",
      subjectId: user.id,
      after: { email: p.email, role: p.role },
      at: now,
    });
  }
  await seedDemoWallets(database, now);
  await seedDemoApiUse(database, now);
  created += await seedDemoReferrals(database, now);
  await seedDemoViolation(database, now);
  return { created };
}

// A usage-policy violation for Bob (POLICY-3), so /admin/violations and Bob's
// /policy have something to show. recordViolation turns a second start's
// attempt within the quiet period into a longer throttle, not a second one.
async function seedDemoViolation(database: Db, now: Date) {
  const bob = await database.user.findUniqueOrThrow({ where: { email: "bob@example.com" } });
  if (await database.policyViolation.count({ where: { userId: bob.id } })) return;
  const { key } = await createKey(database, bob.id, "team laptop", now);
  const networks = ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24", "100.64.12.0/24"];
  await recordViolation(database, {
    userId: bob.id,
    rule: "key_sharing",
    evidence: { keyId: key.id, networks, windowMinutes: 10, max: 3, at: now.toISOString() },
    now,
  });
}

// Demo money: credits granted by the demo admin (as an admin would, with a
// reason), and Alice on Pro paid from them. Fixed request ids keep this
// idempotent: a second start grants and buys nothing more.
const DEMO_WALLETS = [
  { email: "alice@example.com", currency: "USD", credits: 10_000n, buy: { tier: "pro", cycle: "monthly" } },
  { email: "wang.fang@example.cn", currency: "CNY", credits: 50_000n, buy: null },
] as const;

async function seedDemoWallets(database: Db, now: Date) {
  const admin = await database.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN.email } });
  for (const w of DEMO_WALLETS) {
    const user = await database.user.findUniqueOrThrow({ where: { email: w.email } });
    await grantCredits(database, {
      adminId: admin.id,
      userId: user.id,
      currency: w.currency,
      amountMinor: w.credits,
      reason: "Demo credits",
      requestId: `demo-grant:${w.email}`,
      now,
    });
    if (w.buy && !(await database.invoice.findFirst({ where: { userId: user.id } })))
      await subscribe(
        { db: database, now, port: noProcessor },
        { userId: user.id, ...w.buy, requestId: "00000000-0000-4000-8000-00000000a11c" },
      );
  }
}

// Demo invitations (REF-1..6): two friends came through Alice's link. Carol
// has not paid yet; Dave signed up with a throw-away address, so a fraud flag
// waits in the admin review queue. Each from its own network and device.
const DEMO_FRIENDS = [
  { email: "carol@example.com", name: "Carol Nguyen", ip: "198.51.100.23", device: "c".repeat(64) },
  { email: "dave@mailinator.com", name: "Dave Throwaway", ip: "203.0.113.77", device: "d".repeat(64) },
] as const;

/** Every address seeded here; lib/auth/demo-accounts.ts must list them all (SEC-4, tested). */
export const SEEDED_EMAILS = [
  DEMO_ADMIN.email,
  ...SUBSCRIBERS.map((s) => s.email),
  ...DEMO_FRIENDS.map((f) => f.email),
];

async function seedDemoReferrals(database: Db, now: Date) {
  const alice = await database.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
  const code = await referralCodeOf(database, alice.id, now);
  let created = 0;
  for (const f of DEMO_FRIENDS) {
    if (await database.user.findUnique({ where: { email: f.email }, select: { id: true } })) continue;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    // As above: two starts racing create the friend once, and only the one that did attributes.
    const made = await database.user.createMany({
      data: [{ email: f.email, name: f.name, passwordHash, emailVerified: now, createdAt: now, updatedAt: now }],
      skipDuplicates: true,
    });
    if (made.count === 0) continue;
    const friend = await database.user.findUniqueOrThrow({ where: { email: f.email } });
    const sighting = sightingOf({ ip: f.ip, userAgent: "demo", device: f.device });
    const visit = await recordVisit(database, { code, via: "link", sighting, now });
    if (visit) await attributeFromVisit(database, { friendId: friend.id, visitId: visit.id, sighting, now });
    created += 1;
  }
  return created;
}
